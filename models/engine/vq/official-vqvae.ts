/**
 * Opens an official 4M VQ-VAE tokenizer (the Hugging Face layout: `model.safetensors` +
 * `config.json`, as `EPFL-VILAB/4M_tokenizers_semseg_4k_224-448` and the CLIP / DINOv2 / ImageBind
 * feature-map tokenizers ship) and runs it on ONNX Runtime: the config is read with the official
 * class's defaults, every tensor is held against it by name and shape, the weight-free encoder and
 * decoder graphs are written beside the file (convert/vq-graphs.ts), and tokens come out of
 * `tokenize` / go into `decode` in the layout the FM uses (row-major h×w grid).
 *
 * Implemented: ViT encoder and decoder (`vit_*_enc` / `vit_*_dec`), with or without patch
 * projection (images vs feature maps), the tanh post-MLP, `cls_emb` for semantic segmentation, the
 * cosine-similarity Lucid quantizer with one codebook, the two ConvNeXt `out_conv` blocks after the
 * decoder (SAM instances: one mask logit per pixel, vq/official-sam-instance.ts). Refused by name:
 * Memcodes (the global tokenizers), MLP encoders (human poses), Euclidean codebooks, several
 * codebooks, and diffusion decoders (DiVAE).
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConfigValue } from '../../registry/checkpoint-config';
import { rgbaFromDecoderOutput, type DecodedImage } from '../../tokenizers/image';
import type { ClassColor } from '../../tokenizers/image/colormaps';
import { CONVNEXT_KERNEL, writeVqGraphs, type VitShape, type VqEncoderShape, type VqGraphShape } from '../convert/vq-graphs';
import { openCheckpoint } from '../fm/checkpoint';
import { checkpointIn } from '../fm/official-fm';
import { OfficialCheckpointError, type OfficialModality } from '../fm/official-modalities';
import type { SafetensorsHeader } from '../fm/safetensors';
import { expectFloat32, expectInt64, float32, GraphSession, int64, type RuntimeOptions } from '../runtime';
import { officialSemsegPalette } from './official-semseg-palette';

/** The ViT presets of fourm/vq/models/vit_models.py: width, depth, heads (head width 64 in all). */
export const VIT_PRESETS: Readonly<Record<string, { dim: number; depth: number; heads: number }>> = {
  vit_s: { dim: 512, depth: 8, heads: 8 },
  vit_b: { dim: 768, depth: 12, heads: 12 },
  vit_l: { dim: 1024, depth: 24, heads: 16 },
};
export const VIT_HEAD_WIDTH = 64;

/** The VQ base-class init arguments (encoder and quantizer), shared by VQVAE and DiVAE. */
export interface OfficialVqEncoderConfig {
  readonly imageSize: number;
  readonly imageSizeEnc: number;
  readonly nChannels: number;
  readonly nLabels: number | undefined;
  readonly encType: string;
  readonly patchProj: boolean;
  readonly postMlp: boolean;
  readonly patchSize: number;
  readonly quantType: string;
  readonly codebookSize: number;
  readonly numCodebooks: number;
  readonly latentDim: number;
  readonly normCodes: boolean;
}

/** The VQVAE init arguments the engine reads; absent ones take the official class's defaults. */
export interface OfficialVqConfig extends OfficialVqEncoderConfig {
  readonly imageSizeDec: number;
  readonly decType: string;
  readonly patchSizeDec: number;
  readonly outConv: boolean;
}

/** Typed reads of config.json fields (absent or null: the default); errors name the source and field. */
export interface ConfigReader {
  fail(field: string, message: string): never;
  int(field: string, dflt: number): number;
  optInt(field: string): number | undefined;
  bool(field: string, dflt: boolean): boolean;
  str(field: string, dflt: string): string;
}

export function configReader(raw: Readonly<Record<string, ConfigValue>>, source: string): ConfigReader {
  const fail = (field: string, message: string): never => {
    throw new OfficialCheckpointError(`${source}: ${field}: ${message}`);
  };
  const optInt = (field: string): number | undefined => {
    const v = raw[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) return fail(field, `${JSON.stringify(v)} is not a positive integer`);
    return v;
  };
  return {
    fail,
    optInt,
    int: (field, dflt) => optInt(field) ?? dflt,
    bool(field, dflt) {
      const v = raw[field];
      if (v === undefined || v === null) return dflt;
      if (typeof v !== 'boolean') return fail(field, `${JSON.stringify(v)} is not true or false`);
      return v;
    },
    str(field, dflt) {
      const v = raw[field];
      if (v === undefined || v === null) return dflt;
      if (typeof v !== 'string') return fail(field, `${JSON.stringify(v)} is not a string`);
      return v;
    },
  };
}

/** The encoder and quantizer fields (VQ.__init__), refusing what is not implemented. */
export function parseVqEncoderConfig(r: ConfigReader): OfficialVqEncoderConfig {
  const imageSize = r.int('image_size', 224);
  const c: OfficialVqEncoderConfig = {
    imageSize,
    imageSizeEnc: r.int('image_size_enc', imageSize),
    nChannels: r.int('n_channels', 3),
    nLabels: r.optInt('n_labels'),
    encType: r.str('enc_type', 'vit_b_enc'),
    patchProj: r.bool('patch_proj', true),
    postMlp: r.bool('post_mlp', false),
    patchSize: r.int('patch_size', 16),
    quantType: r.str('quant_type', 'lucid'),
    codebookSize: r.int('codebook_size', 16384),
    numCodebooks: r.int('num_codebooks', 1),
    latentDim: r.int('latent_dim', 32),
    normCodes: r.bool('norm_codes', true),
  };
  if (c.quantType !== 'lucid') r.fail('quant_type', `"${c.quantType}"; only the Lucid vector quantizer is implemented (Memcodes, used by the global tokenizers, is not)`);
  if (c.numCodebooks !== 1) r.fail('num_codebooks', `${c.numCodebooks}; only one codebook is implemented`);
  if (!c.normCodes) r.fail('norm_codes', 'false; only the cosine-similarity codebook is implemented');
  if (!/^vit_[a-z0-9]+_enc$/.test(c.encType)) r.fail('enc_type', `"${c.encType}"; only the ViT encoders (vit_*_enc) are implemented`);
  if (c.imageSizeEnc % c.patchSize !== 0) r.fail('image_size_enc', `${c.imageSizeEnc} is not a multiple of patch_size ${c.patchSize}`);
  return c;
}

/** Reads the config (config.json keys as VQVAE.__init__ names them), refusing what is not implemented. */
export function parseVqConfig(raw: Readonly<Record<string, ConfigValue>>, source: string): OfficialVqConfig {
  const r = configReader(raw, source);
  if (typeof raw.beta_schedule === 'string' || r.str('dec_type', '').startsWith('unet') || r.str('dec_type', '').startsWith('uvit')) {
    r.fail('dec_type', `"${r.str('dec_type', '?')}": a diffusion decoder (DiVAE); open it with openOfficialDivae (vq/official-divae.ts), not as a VQ-VAE`);
  }
  const base = parseVqEncoderConfig(r);
  const c: OfficialVqConfig = {
    ...base,
    imageSizeDec: r.int('image_size_dec', base.imageSize),
    decType: r.str('dec_type', 'vit_b_dec'),
    patchSizeDec: r.int('patch_size_dec', base.patchSize),
    outConv: r.bool('out_conv', false),
  };
  if (!/^vit_[a-z0-9]+_dec$/.test(c.decType)) r.fail('dec_type', `"${c.decType}"; only the ViT decoders (vit_*_dec) are implemented`);
  if (c.imageSizeDec % c.patchSizeDec !== 0) r.fail('image_size_dec', `${c.imageSizeDec} is not a multiple of patch_size ${c.patchSizeDec}`);
  return c;
}

function vitShape(
  header: SafetensorsHeader, prefix: 'encoder' | 'decoder', type: string, dim: number, posSide: number, postMlp: boolean, source: string,
): VitShape {
  const file = header.file;
  let depth = 0;
  for (const k of header.entries.keys()) {
    const m = new RegExp(`^${prefix}\\.blocks\\.(\\d+)\\.`).exec(k);
    if (m) depth = Math.max(depth, Number(m[1]) + 1);
  }
  if (depth === 0) throw new OfficialCheckpointError(`${file}: no ${prefix}.blocks.* tensors (not a ViT ${prefix})`);
  const fc1 = header.entries.get(`${prefix}.blocks.0.mlp.fc1.weight`);
  if (!fc1) throw new OfficialCheckpointError(`${file}: tensor "${prefix}.blocks.0.mlp.fc1.weight" is missing`);
  const preset = VIT_PRESETS[type.replace(/_(enc|dec)$/, '')];
  if (preset && (preset.dim !== dim || preset.depth !== depth)) {
    throw new OfficialCheckpointError(`${file}: ${source} says ${prefix === 'encoder' ? 'enc_type' : 'dec_type'} "${type}" (width ${preset.dim}, depth ${preset.depth}), but the ${prefix} tensors have width ${dim}, depth ${depth}`);
  }
  // Unknown preset names (none released): width and depth from the tensors, the presets' head width.
  const heads = preset?.heads ?? dim / VIT_HEAD_WIDTH;
  if (!Number.isInteger(heads) || heads < 1) throw new OfficialCheckpointError(`${file}: ${prefix} width ${dim} is not a multiple of the head width ${VIT_HEAD_WIDTH}`);
  return { dim, depth, heads, hidden: fc1.shape[0] as number, posGrid: [posSide, posSide], postMlp };
}

/** The tensors of a ViT encoder or decoder, with their shapes. */
function vitTensors(out: [string, number[]][], prefix: string, v: VitShape): void {
  out.push([`${prefix}.pos_emb`, [1, v.dim, ...v.posGrid]]);
  for (let i = 0; i < v.depth; i++) {
    const p = `${prefix}.blocks.${i}`;
    for (const n of ['norm1', 'norm2']) out.push([`${p}.${n}.weight`, [v.dim]], [`${p}.${n}.bias`, [v.dim]]);
    out.push([`${p}.attn.qkv.weight`, [3 * v.dim, v.dim]], [`${p}.attn.qkv.bias`, [3 * v.dim]]);
    out.push([`${p}.attn.proj.weight`, [v.dim, v.dim]], [`${p}.attn.proj.bias`, [v.dim]]);
    out.push([`${p}.mlp.fc1.weight`, [v.hidden, v.dim]], [`${p}.mlp.fc1.bias`, [v.hidden]]);
    out.push([`${p}.mlp.fc2.weight`, [v.dim, v.hidden]], [`${p}.mlp.fc2.bias`, [v.dim]]);
  }
  if (v.postMlp) {
    out.push([`${prefix}.norm_mlp.weight`, [v.dim]], [`${prefix}.norm_mlp.bias`, [v.dim]]);
    out.push([`${prefix}.post_mlp.fc1.weight`, [v.hidden, v.dim]], [`${prefix}.post_mlp.fc1.bias`, [v.hidden]]);
    out.push([`${prefix}.post_mlp.fc2.weight`, [v.dim, v.hidden]], [`${prefix}.post_mlp.fc2.bias`, [v.dim]]);
  }
}

/** Every tensor of the encoder, `quant_proj` and the codebook, with its shape. */
export function encoderTensors(s: VqEncoderShape): [string, number[]][] {
  const out: [string, number[]][] = [];
  const k = s.patchProj ? s.patch : 1;
  if (s.labels !== undefined) out.push(['cls_emb.weight', [s.labels, s.inChannels]]);
  out.push(['encoder.proj.weight', [s.encoder.dim, s.inChannels, k, k]], ['encoder.proj.bias', [s.encoder.dim]]);
  vitTensors(out, 'encoder', s.encoder);
  out.push(['quant_proj.weight', [s.latentDim, s.encoder.dim, 1, 1]], ['quant_proj.bias', [s.latentDim]]);
  out.push(['quantize._codebook.embed', [s.codebookSize, s.latentDim]]);
  return out;
}

/** Every tensor the VQ-VAE graphs read, with its shape. */
function expectedTensors(s: VqGraphShape, c: OfficialVqConfig): [string, number[]][] {
  const out = encoderTensors(s);
  const kd = c.patchProj ? c.patchSizeDec : 1;
  out.push(['post_quant_proj.weight', [s.decoder.dim, s.latentDim, 1, 1]], ['post_quant_proj.bias', [s.decoder.dim]]);
  vitTensors(out, 'decoder', s.decoder);
  out.push(['decoder.out_proj.weight', [s.outChannels * kd * kd, s.decoder.dim]], ['decoder.out_proj.bias', [s.outChannels * kd * kd]]);
  const C = s.outChannels;
  const K = CONVNEXT_KERNEL;
  for (let i = 0; i < (s.outConvBlocks ?? 0); i++) {
    const p = `decoder.out_conv.${i}`;
    out.push([`${p}.dwconv.weight`, [C, 1, K, K]], [`${p}.dwconv.bias`, [C]], [`${p}.norm.weight`, [C]], [`${p}.norm.bias`, [C]]);
    out.push([`${p}.pwconv1.weight`, [4 * C, C]], [`${p}.pwconv1.bias`, [4 * C]], [`${p}.pwconv2.weight`, [C, 4 * C]], [`${p}.pwconv2.bias`, [C]], [`${p}.gamma`, [C]]);
  }
  return out;
}

/** Training-state buffers the files carry and inference never reads. */
const IGNORED = /^quantize\._codebook\.(cluster_size|initted|embed_avg)$/;
const FLOAT = new Set(['F32', 'F16', 'BF16']);

/**
 * Holds the file against the expected tensors by name, shape and dtype; `alsoKnown` are tensors
 * checked elsewhere (the DiVAE's UNet). Anything left over is refused.
 */
export function checkTensors(header: SafetensorsHeader, expected: readonly [string, number[]][], source: string, alsoKnown: ReadonlySet<string> = new Set()): void {
  const file = header.file;
  for (const [key, shape] of expected) {
    const e = header.entries.get(key);
    if (!e) throw new OfficialCheckpointError(`${file}: tensor "${key}" is missing (expected [${shape.join(', ')}] from ${source})`);
    if (e.shape.length !== shape.length || e.shape.some((d, i) => d !== shape[i])) {
      throw new OfficialCheckpointError(`${file}: "${key}" has shape [${e.shape.join(', ')}], expected [${shape.join(', ')}] from ${source}`);
    }
    if (!FLOAT.has(e.dtype)) throw new OfficialCheckpointError(`${file}: "${key}" has dtype ${e.dtype}; expected F32, F16 or BF16`);
  }
  const known = new Set(expected.map(([k]) => k));
  const extra = [...header.entries.keys()].filter((k) => !known.has(k) && !alsoKnown.has(k) && !IGNORED.test(k));
  if (extra.length > 0) {
    throw new OfficialCheckpointError(`${file}: ${extra.length} tensor(s) with no place in the layout ${source} describes: ${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ', …' : ''}`);
  }
}

function firstDim(header: SafetensorsHeader, key: string, why: string): number {
  const e = header.entries.get(key);
  if (!e) throw new OfficialCheckpointError(`${header.file}: tensor "${key}" is missing (${why})`);
  return e.shape[0] as number;
}

/** The encoder half's layout at a run size (tensors not yet checked). */
export function vqEncoderLayout(header: SafetensorsHeader, c: OfficialVqEncoderConfig, source: string, runSize: number): VqEncoderShape {
  const encDim = firstDim(header, 'encoder.proj.weight', 'the encoder patch projection');
  if (c.patchProj && runSize % c.patchSize !== 0) throw new OfficialCheckpointError(`${header.file}: image size ${runSize} is not a multiple of patch_size ${c.patchSize} (${source})`);
  // Feature maps (no patch projection) come in at the grid itself: run size / patch size cells.
  const side = runSize / c.patchSize;
  return {
    encoder: vitShape(header, 'encoder', c.encType, encDim, c.imageSizeEnc / c.patchSize, c.postMlp, source),
    grid: [side, side],
    patch: c.patchProj ? c.patchSize : 1,
    patchProj: c.patchProj,
    inChannels: c.nChannels,
    labels: c.nLabels,
    latentDim: c.latentDim,
    codebookSize: c.codebookSize,
  };
}

/** The graph layout of a checkpoint at a run size, every tensor checked by name, shape and dtype. */
export function vqLayout(header: SafetensorsHeader, c: OfficialVqConfig, source: string, runSize: number): VqGraphShape {
  const enc = vqEncoderLayout(header, c, source, runSize);
  const decDim = firstDim(header, 'post_quant_proj.weight', 'the projection into the decoder');
  const s: VqGraphShape = {
    ...enc,
    decoder: vitShape(header, 'decoder', c.decType, decDim, c.imageSizeDec / c.patchSizeDec, c.postMlp, source),
    decoderPatch: c.patchSizeDec,
    outChannels: c.nLabels ?? c.nChannels,
    // vit_models.ViTDecoder's out_conv: two ConvNeXt blocks over the decoded channels.
    outConvBlocks: c.outConv ? 2 : 0,
  };
  checkTensors(header, expectedTensors(s, c), source);
  return s;
}

export interface OfficialVqvae {
  readonly kind: 'vqvae';
  readonly file: string;
  readonly configSource: string;
  readonly config: OfficialVqConfig;
  readonly layout: VqGraphShape;
  /** Input side in pixels (images) the graphs were written for; feature maps come in at `grid`. */
  readonly imageSize: number;
  readonly grid: readonly [number, number];
  readonly codebookSize: number;
  /**
   * Tokens (row-major over the grid) of one input: a class map of imageSize² ids (semseg), or
   * float32 [C, H, W] pixels / feature map.
   */
  tokenize(input: Uint8Array | Int32Array | Float32Array): Promise<Int32Array>;
  /** Decoder output of one token grid: semseg logits [1, classes, H, W], or [1, C, H, W] values. */
  decode(tokens: ArrayLike<number>): Promise<{ data: Float32Array; dims: readonly number[] }>;
  release(): Promise<void>;
}

export interface OpenVqOptions extends RuntimeOptions {
  /** Input side in pixels (default 224: 14×14 tokens at patch 16, as 4M's @224 modalities). */
  readonly imageSize?: number;
  readonly rewriteGraphs?: boolean;
}

const exists = (file: string): Promise<boolean> => access(file).then(() => true, () => false);

export async function openOfficialVqvae(path: string, options: OpenVqOptions = {}): Promise<OfficialVqvae> {
  const file = await checkpointIn(path);
  const info = await openCheckpoint(file);
  if (!info.config) throw new OfficialCheckpointError(`${file}: no tokenizer config (neither in the header's __metadata__ nor in a config.json beside it)`);
  const source = info.configSource === 'metadata' ? `${file} __metadata__` : (info.configSource as string);
  const config = parseVqConfig(info.config, source);
  const imageSize = options.imageSize ?? 224;
  const layout = vqLayout(info.header, config, source, imageSize);
  const dir = join(file, '..');
  const written = await writeVqGraphs(info.header, layout, options.rewriteGraphs ? undefined : (rel) => exists(join(dir, rel)));
  const [encoder, decoder] = await Promise.all([GraphSession.open(join(dir, written.encoder), options), GraphSession.open(join(dir, written.decoder), options)]);
  const [gh, gw] = layout.grid;
  const n = gh * gw;
  return {
    kind: 'vqvae',
    file,
    configSource: source,
    config,
    layout,
    imageSize,
    grid: layout.grid,
    codebookSize: config.codebookSize,
    async tokenize(input) {
      let feeds;
      if (layout.labels !== undefined) {
        if (input instanceof Float32Array) throw new TypeError(`${file}: a semantic-segmentation tokenizer takes a class map (Uint8Array or Int32Array of ids), not float pixels`);
        if (input.length !== imageSize * imageSize) throw new RangeError(`${file}: class map of ${input.length} ids, expected ${imageSize}×${imageSize}`);
        const ids = new BigInt64Array(input.length);
        for (let i = 0; i < input.length; i++) {
          const v = input[i] as number;
          if (v < 0 || v >= layout.labels) throw new RangeError(`${file}: class id ${v} at pixel ${i} is outside 0…${layout.labels - 1}`);
          ids[i] = BigInt(v);
        }
        feeds = { classes: int64(ids, [1, imageSize, imageSize]) };
      } else {
        if (!(input instanceof Float32Array)) throw new TypeError(`${file}: this tokenizer takes float32 [C, H, W] values`);
        const side = layout.patchProj ? imageSize : gh;
        const want = layout.inChannels * side * side;
        if (input.length !== want) throw new RangeError(`${file}: ${input.length} values, expected ${layout.inChannels}×${side}×${side}`);
        feeds = { pixels: float32(input, [1, layout.inChannels, side, side]) };
      }
      const out = await encoder.run(feeds);
      const ids = expectInt64(out.ids, `${written.encoder} ids`);
      return Int32Array.from(ids.data, (v) => Number(v));
    },
    async decode(tokens) {
      if (tokens.length !== n) throw new RangeError(`${file}: ${tokens.length} tokens, expected ${gh}×${gw}`);
      const ids = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        const v = tokens[i] as number;
        if (!Number.isInteger(v) || v < 0 || v >= config.codebookSize) throw new RangeError(`${file}: token ${i} = ${v} is outside 0…${config.codebookSize - 1}`);
        ids[i] = BigInt(v);
      }
      const out = await decoder.run({ ids: int64(ids, [1, gh, gw]) });
      const decoded = expectFloat32(out.decoded, `${written.decoder} decoded`);
      return { data: decoded.data, dims: decoded.dims };
    },
    async release() {
      await Promise.all([encoder.release(), decoder.release()]);
    },
  };
}

/**
 * Throws unless the tokenizer decodes the FM modality's tokens: an image-token modality whose
 * vocabulary is the codebook and whose grid is the tokenizer's.
 */
export function checkTokenizerFits(modality: OfficialModality, tok: Pick<OfficialVqvae, 'file' | 'grid' | 'codebookSize'>): void {
  const why =
    modality.kind !== 'image-tokens'
      ? `"${modality.name}" is not an image-token modality`
      : modality.vocabSize !== tok.codebookSize
        ? `"${modality.name}" has a vocabulary of ${modality.vocabSize}, the tokenizer ${tok.codebookSize} codes`
        : modality.grid?.[0] !== tok.grid[0] || modality.grid?.[1] !== tok.grid[1]
          ? `"${modality.name}" is a ${modality.grid?.join('×')} grid, the tokenizer's ${tok.grid.join('×')}`
          : undefined;
  if (why) throw new OfficialCheckpointError(`${tok.file}: cannot decode ${why}`);
}

/** The palette has its own module (official-semseg-palette.ts); callers keep importing it from here. */
export { officialSemsegPalette };

/** FM tokens of a semseg modality → class map and display image, through the official tokenizer. */
export async function decodeOfficialSemseg(tok: OfficialVqvae, tokens: ArrayLike<number>, palette: readonly ClassColor[] = officialSemsegPalette(tok.layout.outChannels)): Promise<DecodedImage> {
  if (tok.layout.labels === undefined) throw new OfficialCheckpointError(`${tok.file}: not a semantic-segmentation tokenizer (no n_labels in ${tok.configSource})`);
  const out = await tok.decode(tokens);
  return rgbaFromDecoderOutput('semseg', out.data, out.dims, palette);
}
