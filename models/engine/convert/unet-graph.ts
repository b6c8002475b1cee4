/**
 * The DiVAE diffusion decoder's network, 4M's patched UNet (reference §4.4;
 * `fourm/vq/models/unet/unet.py: PatchedUNetCondCat`, guided-diffusion style), as one weight-free
 * ONNX denoising step in the engine's denoiser contract (generate/diffusion-decode.ts):
 * `x_t [B,C,H,W], t [B] float, quant [B,D,h,w] → estimate [B,C,H,W]`.
 *
 * Patchify x_t (P×P pixels → C·P² channels, channel = c·P² + ph·P + pw), upsample the condition
 * with nearest to the patch grid and concatenate it; sinusoidal timestep embedding
 * [cos, sin] → Linear → SiLU → Linear; input convolution, the encoder levels (ResBlocks, attention
 * at the listed downsampling factors, stride-2 conv downsampling), the middle block (Res, Attn, Res),
 * the decoder levels with skip concatenation (nearest ×2 + conv upsampling), GroupNorm(32) → SiLU →
 * conv out, unpatchify. GroupNorm (eps 1e-5) is InstanceNormalization over [B, 32, C/32·H·W] plus the
 * per-channel affine; attention is the legacy single-tensor QKV order, q and k each scaled by ch^-¼.
 * Weights are read under `prefix` (the DiVAE checkpoint's `decoder.`).
 */
import type { SafetensorsHeader } from '../fm/safetensors';
import { CheckpointWeights, GraphBuildError } from './fm-encoder-graph';
import { DT, GraphBuilder } from './onnx-writer';

export interface UnetShape {
  /** Image channels (3 RGB / normals, 1 depth / edges). */
  readonly channels: number;
  /** Channels of the quantized condition (the codebook latent width, 32). */
  readonly condChannels: number;
  readonly patch: number;
  readonly modelChannels: number;
  readonly channelMult: readonly number[];
  readonly numResBlocks: number;
  /** Downsampling factors with attention (released: [4, 8]). */
  readonly attentionResolutions: readonly number[];
  readonly heads: number;
}

const GROUPS = 32;

class UnetBuilder {
  readonly g = new GraphBuilder();
  readonly w: CheckpointWeights;
  constructor(
    header: SafetensorsHeader,
    readonly prefix: string,
  ) {
    this.w = new CheckpointWeights(this.g, header);
  }

  silu(x: string): string {
    return this.g.op('Mul', [x, this.g.op('Sigmoid', [x])]);
  }

  conv(x: string, key: string, out: number, inp: number, k: number, stride = 1): string {
    const p = `${this.prefix}${key}`;
    const pad = (k - 1) / 2;
    return this.g.op('Conv', [x, this.w.get(`${p}.weight`, [out, inp, k, k]), this.w.get(`${p}.bias`, [out])], {
      kernel_shape: [k, k], strides: [stride, stride], pads: [pad, pad, pad, pad],
    });
  }

  /** GroupNorm(32) of [B, C, …spatial] (`spatial` trailing dims: 2 for maps, 1 for attention rows). */
  groupNorm(x: string, key: string, ch: number, spatial = 2): string {
    const g = this.g;
    if (ch % GROUPS !== 0) throw new GraphBuildError(`${this.w.header.file}: GroupNorm over ${ch} channels is not divisible into ${GROUPS} groups (${key})`);
    const shape = g.op('Shape', [x]);
    const grouped = g.op('Reshape', [x, g.constInt64([0, GROUPS, -1], [3], 'gn_shape')]);
    const normed = g.op('InstanceNormalization', [grouped, g.constFloat(new Array(GROUPS).fill(1), [GROUPS], 'gn_one'), g.constFloat(new Array(GROUPS).fill(0), [GROUPS], 'gn_zero')], { epsilon: { float: 1e-5 } });
    const back = g.op('Reshape', [normed, shape]);
    const p = `${this.prefix}${key}`;
    const axes = g.constInt64(spatial === 2 ? [1, 2] : [1], [spatial], 'gn_axes');
    const scale = g.op('Unsqueeze', [this.w.get(`${p}.weight`, [ch]), axes]);
    const bias = g.op('Unsqueeze', [this.w.get(`${p}.bias`, [ch]), axes]);
    return g.op('Add', [g.op('Mul', [back, scale]), bias]);
  }

  resBlock(x: string, emb: string, key: string, inp: number, out: number, embDim: number): string {
    const g = this.g;
    let h = this.conv(this.silu(this.groupNorm(x, `${key}.in_layers.0`, inp)), `${key}.in_layers.2`, out, inp, 3);
    const e = this.w.linear(this.silu(emb), `${this.prefix}${key}.emb_layers.1.weight`, out, embDim);
    h = g.op('Add', [h, g.op('Unsqueeze', [e, g.constInt64([2, 3], [2], 'e_axes')])]);
    h = this.conv(this.silu(this.groupNorm(h, `${key}.out_layers.0`, out)), `${key}.out_layers.3`, out, out, 3);
    const skip = inp === out ? x : this.conv(x, `${key}.skip_connection`, out, inp, 1);
    return g.op('Add', [skip, h]);
  }

  attention(x: string, key: string, ch: number, heads: number): string {
    const g = this.g;
    const p = `${this.prefix}${key}`;
    const shape = g.op('Shape', [x]);
    const flat = g.op('Reshape', [x, g.constInt64([0, ch, -1], [3], 'attn_flat')]);
    const n = this.groupNorm(flat, `${key}.norm`, ch, 1);
    const conv1 = (t: string, k: string, out: number): string => {
      const wgt = g.op('Reshape', [this.w.get(`${p}.${k}.weight`, [out, ch, 1]), g.constInt64([out, ch], [2], 'c1_shape')]);
      const b = g.op('Unsqueeze', [this.w.get(`${p}.${k}.bias`, [out]), g.constInt64([1], [1], 'b_axis')]);
      return g.op('Add', [g.op('MatMul', [wgt, t]), b]);
    };
    const hc = ch / heads;
    // [B, 3C, T] → [B·H, 3·hc, T], then q | k | v along channels (the legacy order).
    const qkv = g.op('Reshape', [conv1(n, 'qkv', 3 * ch), g.constInt64([-1, 3 * hc, 0], [3], 'qkv_heads')]);
    const [q, k, v] = ['q', 'k', 'v'].map((name) => g.fresh(name)) as [string, string, string];
    g.opMulti('Split', [qkv, g.constInt64([hc, hc, hc], [3], 'split')], [q, k, v], { axis: 1 });
    const s = g.constFloat([1 / Math.sqrt(Math.sqrt(hc))], [], 'qk_scale');
    const scores = g.op('MatMul', [g.op('Transpose', [g.op('Mul', [q, s])], { perm: [0, 2, 1] }), g.op('Mul', [k, s])]);
    const weight = g.op('Softmax', [scores], { axis: -1 });
    const a = g.op('MatMul', [v, g.op('Transpose', [weight], { perm: [0, 2, 1] })]);
    const merged = g.op('Reshape', [a, g.op('Shape', [flat])]);
    return g.op('Reshape', [g.op('Add', [flat, conv1(merged, 'proj_out', ch)]), shape]);
  }

  upsample2(x: string): string {
    return this.g.op('Resize', [x, '', this.g.constFloat([1, 1, 2, 2], [4], 'up_scales')], { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' });
  }
}

/** Sinusoidal frequencies as PyTorch computes them in float32: exp(−ln(1e4)·k / half). */
function timestepFrequencies(half: number): number[] {
  const f = Math.fround;
  return Array.from({ length: half }, (_, k) => f(Math.exp(f(f(-Math.log(10000) * k) / half))));
}

export function buildUnetGraph(header: SafetensorsHeader, s: UnetShape, prefix = 'decoder.'): Uint8Array {
  return unetGraph(header, s, prefix).graph;
}

/** The graph and the names of the tensors it reads (each shape-checked on the way). */
export function unetGraph(header: SafetensorsHeader, s: UnetShape, prefix = 'decoder.'): { graph: Uint8Array; tensors: ReadonlySet<string> } {
  const b = new UnetBuilder(header, prefix);
  const { g, w } = b;
  const P = s.patch;
  const mc = s.modelChannels;
  const embDim = 4 * mc;
  const x = g.input('x_t', DT.FLOAT, ['B', s.channels, 'H', 'W']);
  const t = g.input('t', DT.FLOAT, ['B']);
  const quant = g.input('quant', DT.FLOAT, ['B', s.condChannels, 'h', 'w']);

  // b c (nh ph) (nw pw) -> b (c ph pw) nh nw
  const xShape = g.op('Shape', [x]);
  const dimOf = (i: number): string => g.op('Gather', [xShape, g.constInt64([i], [1], 'dim')], { axis: 0 });
  const nh = g.op('Div', [dimOf(2), g.constInt64([P], [1], 'p')]);
  const nw = g.op('Div', [dimOf(3), g.constInt64([P], [1], 'p')]);
  const zero = g.constInt64([0], [1], 'zero');
  const six = g.op('Concat', [zero, g.constInt64([s.channels], [1], 'c'), nh, g.constInt64([P], [1], 'p'), nw, g.constInt64([P], [1], 'p')], { axis: 0 });
  const patches = g.op('Transpose', [g.op('Reshape', [x, six])], { perm: [0, 1, 3, 5, 2, 4] });
  const grid = g.op('Concat', [zero, g.constInt64([s.channels * P * P], [1], 'cpp'), nh, nw], { axis: 0 });
  const xp = g.op('Reshape', [patches, grid]);
  const sizes = g.op('Concat', [g.op('Slice', [g.op('Shape', [quant]), g.constInt64([0], [1], 's0'), g.constInt64([2], [1], 's2')]), nh, nw], { axis: 0 });
  const cond = g.op('Resize', [quant, '', '', sizes], { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' });
  let h = g.op('Concat', [xp, cond], { axis: 1 });

  // Timestep embedding: [cos(t·f), sin(t·f)] → Linear → SiLU → Linear.
  const args = g.op('Mul', [g.op('Unsqueeze', [t, g.constInt64([1], [1], 'axis')]), g.constFloat(timestepFrequencies(mc / 2), [1, mc / 2], 'freqs')]);
  const sinus = g.op('Concat', [g.op('Cos', [args]), g.op('Sin', [args])], { axis: 1 });
  const emb = w.linear(b.silu(w.linear(sinus, `${prefix}time_embed.0.weight`, embDim, mc)), `${prefix}time_embed.2.weight`, embDim, embDim);

  const inCh = s.channels * P * P + s.condChannels;
  let ch = mc * (s.channelMult[0] as number);
  h = b.conv(h, 'input_blocks.0.0', ch, inCh, 3);
  const skips: [string, number][] = [[h, ch]];
  let ds = 1;
  let k = 1;
  s.channelMult.forEach((mult, level) => {
    for (let r = 0; r < s.numResBlocks; r++) {
      h = b.resBlock(h, emb, `input_blocks.${k}.0`, ch, mult * mc, embDim);
      ch = mult * mc;
      if (s.attentionResolutions.includes(ds)) h = b.attention(h, `input_blocks.${k}.1`, ch, s.heads);
      skips.push([h, ch]);
      k++;
    }
    if (level !== s.channelMult.length - 1) {
      h = b.conv(h, `input_blocks.${k}.0.op`, ch, ch, 3, 2);
      skips.push([h, ch]);
      ds *= 2;
      k++;
    }
  });
  h = b.resBlock(h, emb, 'middle_block.0', ch, ch, embDim);
  h = b.attention(h, 'middle_block.1', ch, s.heads);
  h = b.resBlock(h, emb, 'middle_block.2', ch, ch, embDim);
  k = 0;
  [...s.channelMult.entries()].reverse().forEach(([level, mult]) => {
    for (let i = 0; i <= s.numResBlocks; i++) {
      const [skip, ich] = skips.pop() as [string, number];
      h = b.resBlock(g.op('Concat', [h, skip], { axis: 1 }), emb, `output_blocks.${k}.0`, ch + ich, mc * mult, embDim);
      ch = mc * mult;
      let j = 1;
      if (s.attentionResolutions.includes(ds)) h = b.attention(h, `output_blocks.${k}.${j++}`, ch, s.heads);
      if (level && i === s.numResBlocks) {
        h = b.conv(b.upsample2(h), `output_blocks.${k}.${j}.conv`, ch, ch, 3);
        ds /= 2;
      }
      k++;
    }
  });
  const outP = s.channels * P * P;
  const y = b.conv(b.silu(b.groupNorm(h, 'out.0', ch)), 'out.2', outP, mc * (s.channelMult[0] as number), 3);
  // b (c ph pw) nh nw -> b c (nh ph) (nw pw)
  const split = g.op('Concat', [zero, g.constInt64([s.channels, P, P], [3], 'cpp3'), nh, nw], { axis: 0 });
  const img = g.op('Transpose', [g.op('Reshape', [y, split])], { perm: [0, 1, 4, 2, 5, 3] });
  g.op('Reshape', [img, g.op('Shape', [x])], {}, 'estimate');
  g.output('estimate', DT.FLOAT, ['B', s.channels, 'H', 'W']);
  return { graph: g.build('fourm_divae_unet'), tensors: w.used() };
}

/**
 * The UNet's shape read from a checkpoint's tensors (released DiVAE files carry only `dec_type:
 * unet_patched`, whose widths are fixed in code): model channels from the input convolution,
 * channel multipliers and ResBlocks per level from the encoder blocks, attention levels from where
 * `qkv` tensors sit, image channels from the output convolution. Heads: 1 (every released DiVAE).
 */
export function unetShapeFromTensors(header: SafetensorsHeader, patch: number, prefix = 'decoder.', heads = 1): UnetShape {
  const file = header.file;
  const shape = (key: string): readonly number[] => {
    const e = header.entries.get(`${prefix}${key}`);
    if (!e) throw new GraphBuildError(`${file}: tensor "${prefix}${key}" is missing (not a patched-UNet DiVAE decoder?)`);
    return e.shape;
  };
  const [mc = 0, inCh = 0] = shape('input_blocks.0.0.weight');
  const outP = shape('out.2.weight')[0] as number;
  if (outP % (patch * patch) !== 0) throw new GraphBuildError(`${file}: the output convolution's ${outP} channels are not a multiple of patch ${patch}²`);
  const channels = outP / (patch * patch);
  // input_blocks.k: a ResBlock (in_layers) or a Downsample (op); levels end at each Downsample.
  const levels: number[][] = [[]];
  const attention = new Set<number>();
  let ds = 1;
  for (let k = 1; header.entries.has(`${prefix}input_blocks.${k}.0.in_layers.2.weight`) || header.entries.has(`${prefix}input_blocks.${k}.0.op.weight`); k++) {
    if (header.entries.has(`${prefix}input_blocks.${k}.0.op.weight`)) {
      levels.push([]);
      ds *= 2;
      continue;
    }
    (levels[levels.length - 1] as number[]).push(shape(`input_blocks.${k}.0.in_layers.2.weight`)[0] as number);
    if (header.entries.has(`${prefix}input_blocks.${k}.1.qkv.weight`)) attention.add(ds);
  }
  const numResBlocks = levels[0]?.length ?? 0;
  if (numResBlocks === 0 || levels.some((l) => l.length !== numResBlocks || l.some((c) => c !== l[0]))) {
    throw new GraphBuildError(`${file}: the encoder blocks under ${prefix}input_blocks do not form levels of equal ResBlock counts`);
  }
  return {
    channels, condChannels: inCh - channels * patch * patch, patch, modelChannels: mc,
    channelMult: levels.map((l) => (l[0] as number) / mc), numResBlocks, attentionResolutions: [...attention].sort((a, b) => a - b), heads,
  };
}
