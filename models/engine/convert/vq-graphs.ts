/**
 * 4M's VQ-VAE tokenizers (reference §4.1–4.3; `fourm/vq/vqvae.py: VQVAE` with the ViT encoder and
 * decoder of `fourm/vq/models/vit_models.py`) as weight-free ONNX graphs over an official
 * checkpoint, every weight an external-data reference into the safetensors file beside the graph.
 *
 * Encoder: `classes [B,H,W] int64` (semseg: `cls_emb` rows as input channels) or `pixels [B,C,H,W]`
 * → patch projection (a P×P stride-P convolution, or 1×1 for feature maps) → + the position table,
 * bicubic-resized from the training grid to the run's grid (ONNX Resize, cubic a = −0.75, half-pixel,
 * as PyTorch's `F.interpolate(bicubic, align_corners=False)`) → timm-style pre-norm blocks (LayerNorm
 * eps 1e-6, GELU MLP) → the tanh post-MLP → `quant_proj` → cosine-similarity codebook argmax →
 * `ids [B,h,w] int64` (plus `quant [B,h,w,L]`, the raw codebook rows).
 *
 * Decoder: `ids [B,h,w] int64` → raw codebook rows → `post_quant_proj` → + position table → blocks →
 * post-MLP → `out_proj` → unpatchify → (SAM instances: two ConvNeXt blocks, `out_conv`) →
 * `decoded [B,C,H,W]` (semseg: class logits; SAM instances: one mask logit per pixel; feature maps:
 * [B,C,h,w]).
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SafetensorsHeader } from '../fm/safetensors';
import { attend, CheckpointWeights, GraphBuildError } from './fm-encoder-graph';
import { DT, GraphBuilder } from './onnx-writer';

export interface VitShape {
  readonly dim: number;
  readonly depth: number;
  readonly heads: number;
  /** MLP hidden width. */
  readonly hidden: number;
  /** Grid of the stored position table (the training resolution / patch). */
  readonly posGrid: readonly [number, number];
  readonly postMlp: boolean;
}

/** The encoder and quantizer half, shared by the VQ-VAE and DiVAE tokenizers. */
export interface VqEncoderShape {
  readonly encoder: VitShape;
  /** Token grid of this run (input side / patch). */
  readonly grid: readonly [number, number];
  /** Encoder patch size. */
  readonly patch: number;
  /** false: feature-map tokenizers, 1×1 projections in and out, no (un)patchify. */
  readonly patchProj: boolean;
  /** Channels entering the patch projection (semseg: the `cls_emb` width). */
  readonly inChannels: number;
  /** semseg: number of classes, embedded by `cls_emb`; undefined: float input. */
  readonly labels: number | undefined;
  readonly latentDim: number;
  readonly codebookSize: number;
}

export interface VqGraphShape extends VqEncoderShape {
  readonly decoder: VitShape;
  /** The decoder's unpatchify patch size. */
  readonly decoderPatch: number;
  /** Channels of the decoded output (semseg: classes). */
  readonly outChannels: number;
  /** Number of ConvNeXt blocks after the unpatchify (`out_conv`: 2 in the SAM-instance tokenizer, else 0). */
  readonly outConvBlocks?: number;
}

/** ConvNeXt's depthwise kernel (7×7, padding 3). */
export const CONVNEXT_KERNEL = 7;

/** nn.GELU (exact, erf). */
function gelu(g: GraphBuilder, x: string): string {
  const inner = g.op('Erf', [g.op('Mul', [x, g.constFloat([Math.SQRT1_2], [], 'rsqrt2')])]);
  return g.op('Mul', [g.op('Mul', [x, g.constFloat([0.5], [], 'half')]), g.op('Add', [inner, g.constFloat([1], [], 'one')])]);
}

/** A 1×1 Conv2d weight [out, in, 1, 1] (+ bias) applied to channel-last rows. */
function pointwise(w: CheckpointWeights, x: string, key: string, out: number, inp: number): string {
  const g = w.g;
  const weight = g.op('Reshape', [w.get(`${key}.weight`, [out, inp, 1, 1]), g.constInt64([out, inp], [2], 'pw_shape')]);
  const y = g.op('MatMul', [x, g.op('Transpose', [weight], { perm: [1, 0] })]);
  return w.has(`${key}.bias`) ? g.op('Add', [y, w.get(`${key}.bias`, [out])]) : y;
}

/**
 * One ConvNeXt block on [B,C,H,W] (vit_models.ConvNeXtBlock): depthwise 7×7 conv → channels-last
 * LayerNorm (eps 1e-6) → Linear C→4C → GELU → Linear 4C→C → × gamma, added to the block's input.
 */
function convNextBlock(w: CheckpointWeights, x: string, prefix: string, C: number): string {
  const g = w.g;
  const K = CONVNEXT_KERNEL;
  const pad = (K - 1) / 2;
  const dw = g.op('Conv', [x, w.get(`${prefix}.dwconv.weight`, [C, 1, K, K]), w.get(`${prefix}.dwconv.bias`, [C])], {
    kernel_shape: [K, K], pads: [pad, pad, pad, pad], group: C,
  });
  const last = g.op('Transpose', [dw], { perm: [0, 2, 3, 1] });
  const a = gelu(g, w.linear(w.layerNorm(last, `${prefix}.norm`, C), `${prefix}.pwconv1.weight`, 4 * C, C));
  const y = g.op('Mul', [w.linear(a, `${prefix}.pwconv2.weight`, C, 4 * C), w.get(`${prefix}.gamma`, [C])]);
  return g.op('Add', [x, g.op('Transpose', [y], { perm: [0, 3, 1, 2] })]);
}

/** The stored sin-cos table [1, D, Ht, Wt] resized to the run's grid, as rows [1, h·w, D]. */
function positions(w: CheckpointWeights, key: string, s: VitShape, grid: readonly [number, number]): string {
  const g = w.g;
  const [th, tw] = s.posGrid;
  const [gh, gw] = grid;
  let table = w.get(key, [1, s.dim, th, tw]);
  if (th !== gh || tw !== gw) {
    // roi and scales left out ('' names an absent optional input): the size is given.
    table = g.op('Resize', [table, '', '', g.constInt64([1, s.dim, gh, gw], [4], 'sizes')], {
      mode: 'cubic', cubic_coeff_a: { float: -0.75 }, coordinate_transformation_mode: 'half_pixel', exclude_outside: 0,
    });
  }
  return g.op('Transpose', [g.op('Reshape', [table, g.constInt64([1, s.dim, gh * gw], [3], 'pos_shape')])], { perm: [0, 2, 1] });
}

/** Pre-norm blocks, then the residual tanh post-MLP when the tokenizer has one. */
function vitTrunk(w: CheckpointWeights, x: string, prefix: string, s: VitShape): string {
  const g = w.g;
  const D = s.dim;
  const qkvShape = g.constInt64([0, 0, 3, D], [4], 'qkv_shape');
  const part = (t: string, j: number): string => g.op('Gather', [t, g.constInt64([j], [], 'idx')], { axis: 2 });
  let h = x;
  for (let i = 0; i < s.depth; i++) {
    const p = `${prefix}.blocks.${i}`;
    const qkv = g.op('Reshape', [w.linear(w.layerNorm(h, `${p}.norm1`, D), `${p}.attn.qkv.weight`, 3 * D, D), qkvShape]);
    h = g.op('Add', [h, w.linear(attend(w, part(qkv, 0), part(qkv, 1), part(qkv, 2), s.heads, D, undefined), `${p}.attn.proj.weight`, D, D)]);
    const a = gelu(g, w.linear(w.layerNorm(h, `${p}.norm2`, D), `${p}.mlp.fc1.weight`, s.hidden, D));
    h = g.op('Add', [h, w.linear(a, `${p}.mlp.fc2.weight`, D, s.hidden)]);
  }
  if (s.postMlp) {
    const t = g.op('Tanh', [w.linear(w.layerNorm(h, `${prefix}.norm_mlp`, D), `${prefix}.post_mlp.fc1.weight`, s.hidden, D)]);
    h = g.op('Add', [h, w.linear(t, `${prefix}.post_mlp.fc2.weight`, D, s.hidden)]);
  }
  return h;
}

/** F.normalize(x, dim=-1): x / max(‖x‖₂, 1e-12). */
function l2norm(g: GraphBuilder, x: string): string {
  const norm = g.op('ReduceL2', [x], { axes: [-1], keepdims: 1 });
  return g.op('Div', [x, g.op('Max', [norm, g.constFloat([1e-12], [], 'eps')])]);
}

function checkShape(header: SafetensorsHeader, name: string, v: VitShape): void {
  if (v.dim % v.heads !== 0) throw new GraphBuildError(`${header.file}: ${name} width ${v.dim} is not divisible by ${v.heads} heads`);
}

/**
 * The encoder graph: picture (or class map) → ids and their codebook rows. `latent` adds the
 * pre-quantization values (`quant_proj` output, [B, h, w, latentDim]) as a third output, which
 * parity checks compare with the official encoder; the engine's own graphs leave it out.
 */
export function buildVqEncoderGraph(header: SafetensorsHeader, s: VqEncoderShape, options: { readonly latent?: boolean } = {}): Uint8Array {
  checkShape(header, 'encoder', s.encoder);
  const g = new GraphBuilder();
  const w = new CheckpointWeights(g, header);
  const e = s.encoder;
  const [gh, gw] = s.grid;
  const k = s.patchProj ? s.patch : 1;
  const [H, W] = [gh * k, gw * k];
  let image: string;
  if (s.labels !== undefined) {
    const classes = g.input('classes', DT.INT64, ['B', H, W]);
    const emb = g.op('Gather', [w.get('cls_emb.weight', [s.labels, s.inChannels]), classes], { axis: 0 });
    image = g.op('Transpose', [emb], { perm: [0, 3, 1, 2] });
  } else {
    image = g.input('pixels', DT.FLOAT, ['B', s.inChannels, H, W]);
  }
  const proj = g.op('Conv', [image, w.get('encoder.proj.weight', [e.dim, s.inChannels, k, k]), w.get('encoder.proj.bias', [e.dim])], {
    kernel_shape: [k, k], strides: [k, k],
  });
  const rows = g.op('Transpose', [g.op('Reshape', [proj, g.constInt64([0, e.dim, gh * gw], [3], 'tok_shape')])], { perm: [0, 2, 1] });
  const h = vitTrunk(w, g.op('Add', [rows, positions(w, 'encoder.pos_emb', e, s.grid)]), 'encoder', e);
  const z = pointwise(w, h, 'quant_proj', s.latentDim, e.dim);
  const codebook = w.get('quantize._codebook.embed', [s.codebookSize, s.latentDim]);
  const sim = g.op('MatMul', [l2norm(g, z), g.op('Transpose', [l2norm(g, codebook)], { perm: [1, 0] })]);
  const ids = g.op('ArgMax', [sim], { axis: -1, keepdims: 0 });
  g.op('Reshape', [ids, g.constInt64([-1, gh, gw], [3], 'grid_shape')], {}, 'ids');
  g.op('Reshape', [g.op('Gather', [codebook, ids], { axis: 0 }), g.constInt64([-1, gh, gw, s.latentDim], [4], 'quant_shape')], {}, 'quant');
  g.output('ids', DT.INT64, ['B', gh, gw]);
  g.output('quant', DT.FLOAT, ['B', gh, gw, s.latentDim]);
  if (options.latent) {
    g.op('Reshape', [z, g.constInt64([-1, gh, gw, s.latentDim], [4], 'latent_shape')], {}, 'latent');
    g.output('latent', DT.FLOAT, ['B', gh, gw, s.latentDim]);
  }
  return g.build('fourm_vq_encoder');
}

export function buildVqDecoderGraph(header: SafetensorsHeader, s: VqGraphShape): Uint8Array {
  checkShape(header, 'decoder', s.decoder);
  const g = new GraphBuilder();
  const w = new CheckpointWeights(g, header);
  const d = s.decoder;
  const [gh, gw] = s.grid;
  const ids = g.input('ids', DT.INT64, ['B', gh, gw]);
  const flat = g.op('Reshape', [ids, g.constInt64([0, gh * gw], [2], 'flat_shape')]);
  const quant = g.op('Gather', [w.get('quantize._codebook.embed', [s.codebookSize, s.latentDim]), flat], { axis: 0 });
  const x = pointwise(w, quant, 'post_quant_proj', d.dim, s.latentDim);
  const h = vitTrunk(w, g.op('Add', [x, positions(w, 'decoder.pos_emb', d, s.grid)]), 'decoder', d);
  const C = s.outChannels;
  const P = s.patchProj ? s.decoderPatch : 1;
  const out = w.linear(h, 'decoder.out_proj.weight', C * P * P, d.dim);
  // b (nh nw) (c ph pw) -> b c (nh ph) (nw pw)
  const six = g.op('Reshape', [out, g.constInt64([0, gh, gw, C, P, P], [6], 'unpatch_shape')]);
  const img = g.op('Transpose', [six], { perm: [0, 3, 1, 4, 2, 5] });
  let decoded = g.op('Reshape', [img, g.constInt64([0, C, gh * P, gw * P], [4], 'image_shape')]);
  for (let i = 0; i < (s.outConvBlocks ?? 0); i++) decoded = convNextBlock(w, decoded, `decoder.out_conv.${i}`, C);
  g.op('Identity', [decoded], {}, 'decoded');
  g.output('decoded', DT.FLOAT, ['B', C, gh * P, gw * P]);
  return g.build('fourm_vq_decoder');
}

/**
 * Token ids → the raw codebook rows as a condition map `quant [B, L, h, w]` (the DiVAE decoder's
 * input: `tokens_to_embedding`, no projection).
 */
export function buildCodebookGraph(header: SafetensorsHeader, s: Pick<VqEncoderShape, 'grid' | 'latentDim' | 'codebookSize'>): Uint8Array {
  const g = new GraphBuilder();
  const w = new CheckpointWeights(g, header);
  const [gh, gw] = s.grid;
  const ids = g.input('ids', DT.INT64, ['B', gh, gw]);
  const rows = g.op('Gather', [w.get('quantize._codebook.embed', [s.codebookSize, s.latentDim]), ids], { axis: 0 });
  g.op('Transpose', [rows], { perm: [0, 3, 1, 2] }, 'quant');
  g.output('quant', DT.FLOAT, ['B', s.latentDim, gh, gw]);
  return g.build('fourm_vq_codebook');
}

export interface WrittenVqGraphs {
  readonly encoder: string;
  readonly decoder: string;
}

/** Writes both graphs beside the checkpoint, named by the grid they run at (kB each). */
export async function writeVqGraphs(header: SafetensorsHeader, s: VqGraphShape, keep?: (rel: string) => Promise<boolean>): Promise<WrittenVqGraphs> {
  const root = dirname(header.file);
  const tag = `${s.grid[0]}x${s.grid[1]}`;
  const names = { encoder: `vq_encoder_${tag}.onnx`, decoder: `vq_decoder_${tag}.onnx` };
  if (!(await keep?.(names.encoder))) await writeFile(join(root, names.encoder), buildVqEncoderGraph(header, s));
  if (!(await keep?.(names.decoder))) await writeFile(join(root, names.decoder), buildVqDecoderGraph(header, s));
  return names;
}
