/**
 * A random-weight checkpoint in the official 4M format (`config.json` + `model.safetensors`, official
 * state-dict names, the 4M-21 modality set), written here in TypeScript so the benchmark needs no
 * Python. It is the checkpoint models/recipe/fourm_recipe/official/fm_fixture.py makes with the
 * official code, at any size: the same tensor names and shapes (checked against that fixture at
 * dim 64 by test/unit/bench/random-official-fm.test.ts), parameters from the same integer hash of
 * (tensor name, index), and the buffers the official code computes (sin-cos position tables, zero
 * LayerNorm biases). Only the scale of the linear weights shrinks with the width (the fixture's
 * 2^-2 at dim 64, 2^-4 at dim 768), so activations stay in range through 12 layers.
 *
 * 4M-B in float32 is about 3.3 GB: the text tables dominate (six sequence modalities, each with an
 * encoder and a decoder table and a 30,000-row head). It is written once into a cache folder and
 * reused; the folder's stamp says which shape and format version it holds.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { sincos1d, sincos2d } from '../models/engine/fm/sincos';
import { officialModalityTable } from '../models/engine/fm/official-modalities';
import { parseFmConfig } from '../models/registry/checkpoint-config';

export const MOD21_IN = [
  'caption', 't5_caption', 'det', 'metadata', 'rgb@224', 'tok_rgb@224', 'tok_normal@224', 'tok_depth@224', 'tok_semseg@224', 'tok_clip@224',
  'human_poses', 'tok_dinov2@224', 'tok_dinov2_global', 'tok_imagebind@224', 'tok_imagebind_global', 'tok_sam_edge@224', 'tok_canny_edge@224',
  'color_palette', 'sam_instance',
] as const;
export const MOD21_OUT = MOD21_IN.filter((m) => m !== 'rgb@224' && m !== 't5_caption');

export interface FmSize {
  readonly dim: number;
  readonly encoderDepth: number;
  readonly decoderDepth: number;
  readonly heads: number;
}

/** 4M-21_B: 768 wide, 12 + 12 layers, 12 heads. */
export const FOURM_B: FmSize = { dim: 768, encoderDepth: 12, decoderDepth: 12, heads: 12 };
/** The parity fixture's shrunk shape, for development. */
export const FOURM_TINY: FmSize = { dim: 64, encoderDepth: 2, decoderDepth: 2, heads: 4 };

/** The official 4M-21 config (as its Hugging Face config.json spells it) at another size. */
export function officialConfig(size: FmSize, domainsIn: readonly string[] = MOD21_IN, domainsOut: readonly string[] = MOD21_OUT): Record<string, unknown> {
  return {
    domains_in: [...domainsIn], domains_out: [...domainsOut],
    dim: size.dim, encoder_depth: size.encoderDepth, decoder_depth: size.decoderDepth, num_heads: size.heads, mlp_ratio: 4.0,
    qkv_bias: false, proj_bias: false, mlp_bias: false, norm_bias: false, act_layer: 'SiLU',
    gated_mlp: true, qk_norm: false, image_size: 224, patch_size: 16,
    decoder_causal_mask: false, decoder_sep_mask: true, num_register_tokens: 0,
    use_act_checkpoint: false, share_modality_embeddings: true,
  };
}

/** How one tensor's values are made. */
export type Fill =
  | { readonly kind: 'hash'; readonly seed: string; readonly base: number; readonly scale: number }
  | { readonly kind: 'zeros' }
  | { readonly kind: 'sincos2d'; readonly rows: number; readonly cols: number }
  | { readonly kind: 'sincos1d'; readonly length: number };

export interface TensorPlan {
  readonly name: string;
  readonly shape: readonly number[];
  readonly fill: Fill;
}

/** Rows of the sequence position tables the official FM allocates (it slices max_length of them at use). */
const SEQ_POS_ROWS = 512;

/** Scale of the hashed linear weights: 2^-2 at dim 64 (the parity fixture), halved per 4× width. */
export function linearScale(dim: number): number {
  return 2 ** -(2 + Math.round(Math.log2(dim / 64) / 2));
}

/** The fixture maker's rule (fm_fixture.fill_rule), with the linear scale following the width. */
function hashFill(name: string, shape: readonly number[], dim: number, seed = name): Fill {
  if (shape.length === 1 && name.endsWith('.weight')) return { kind: 'hash', seed, base: 1, scale: 2 ** -3 }; // LayerNorm gains
  if (shape.length === 2 && !name.includes('.token_emb.')) return { kind: 'hash', seed, base: 0, scale: linearScale(dim) };
  return { kind: 'hash', seed, base: 0, scale: 2 ** -1 }; // embeddings, mask token, learned position tables, biases
}

/**
 * Every tensor the official FM saves for `config`, sorted by name (safetensors' order), with how
 * its values are made. A modality in both domain lists has one `mod_emb` (the official FM shares
 * it), stored under the decoder's name with the encoder's name as alias, as save_pretrained does.
 */
export function officialTensorPlan(config: Record<string, unknown>): { tensors: TensorPlan[]; aliases: Record<string, string> } {
  const parsed = parseFmConfig(config);
  if (!parsed.ok) throw new Error(`config: ${parsed.error}`);
  const c = parsed.config;
  const D = c.dim;
  const ratio = typeof config.mlp_ratio === 'number' ? config.mlp_ratio : 4;
  const hidden = Math.floor((2 * ratio * D) / 3); // SwiGLU: two thirds of mlp_ratio · dim
  const table = officialModalityTable(c, 'config');
  const out: TensorPlan[] = [];
  const aliases: Record<string, string> = {};
  const hash = (name: string, shape: number[], seed?: string): void => void out.push({ name, shape, fill: hashFill(name, shape, D, seed) });
  const zeros = (name: string, shape: number[]): void => void out.push({ name, shape, fill: { kind: 'zeros' } });
  const norm = (p: string): void => {
    hash(`${p}.weight`, [D]);
    zeros(`${p}.bias`, [D]);
  };
  const mlp = (p: string): void => {
    hash(`${p}.fc1.weight`, [hidden, D]);
    hash(`${p}.fc2.weight`, [D, hidden]);
    hash(`${p}.fc3.weight`, [hidden, D]);
  };
  for (let i = 0; i < c.encoder_depth; i++) {
    const p = `encoder.${i}`;
    norm(`${p}.norm1`);
    hash(`${p}.attn.qkv.weight`, [3 * D, D]);
    hash(`${p}.attn.proj.weight`, [D, D]);
    norm(`${p}.norm2`);
    mlp(`${p}.mlp`);
  }
  for (let i = 0; i < c.decoder_depth; i++) {
    const p = `decoder.${i}`;
    norm(`${p}.norm1`);
    hash(`${p}.self_attn.qkv.weight`, [3 * D, D]);
    hash(`${p}.self_attn.proj.weight`, [D, D]);
    norm(`${p}.query_norm`);
    norm(`${p}.context_norm`);
    hash(`${p}.cross_attn.q.weight`, [D, D]);
    hash(`${p}.cross_attn.kv.weight`, [2 * D, D]);
    hash(`${p}.cross_attn.proj.weight`, [D, D]);
    norm(`${p}.norm2`);
    mlp(`${p}.mlp`);
  }
  norm('encoder_norm');
  norm('decoder_norm');
  hash('decoder_proj_context.weight', [D, D]);
  hash('decoder_proj_context.bias', [D]);
  hash('mask_token', [1, 1, D]);
  for (const m of table) {
    const pos = (p: string): void => {
      if (m.kind === 'sequence' || m.kind === 'sequence-embedding') out.push({ name: `${p}.pos_emb`, shape: [1, SEQ_POS_ROWS, D], fill: { kind: 'sincos1d', length: SEQ_POS_ROWS } });
      else if (m.learnedPositions) hash(`${p}.pos_emb`, [1, m.positions, D]);
      else {
        const [rows, cols] = m.grid as readonly [number, number];
        out.push({ name: `${p}.pos_emb`, shape: [1, m.positions, D], fill: { kind: 'sincos2d', rows, cols } });
      }
    };
    const enc = `encoder_embeddings.${m.name}`;
    const dec = `decoder_embeddings.${m.name}`;
    // The shared parameter's first name in the official state dict is the encoder's: it seeds the hash.
    const modSeed = `${m.input ? enc : dec}.mod_emb`;
    if (m.input) {
      pos(enc);
      if (m.kind === 'image-pixels') hash(`${enc}.proj.weight`, [D, m.width * m.patchSize * m.patchSize]);
      else if (m.kind === 'sequence-embedding') {
        hash(`${enc}.emb_proj.weight`, [D, m.width]);
        hash(`${enc}.emb_proj.bias`, [D]);
      } else hash(`${enc}.token_emb.weight`, [m.vocabSize, D]);
      if (!m.output) hash(`${enc}.mod_emb`, [1, 1, D], modSeed);
    }
    if (m.output) {
      pos(dec);
      hash(`${dec}.token_emb.weight`, [m.vocabSize, D]);
      hash(`${dec}.to_logits.weight`, [m.vocabSize, D]);
      hash(`${dec}.mod_emb`, [1, 1, D], modSeed);
      if (m.input) aliases[`${enc}.mod_emb`] = `${dec}.mod_emb`;
    }
  }
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { tensors: out, aliases };
}

const fnv1a32 = (text: string): number => {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(text, 'utf8')) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
};

/**
 * Values `start … start+out.length-1` of a hashed tensor: base + scale · int16 / 32768, the int16
 * from the fixture maker's murmur3-style mix of (fnv1a32(seed), index + 1).
 */
export function hashedValues(seed: string, base: number, scale: number, start: number, out: Float32Array): Float32Array {
  const s = fnv1a32(seed);
  const k = scale / 32768;
  for (let j = 0; j < out.length; j++) {
    let x = (s ^ Math.imul(start + j + 1, 0x9e3779b1)) >>> 0;
    x ^= x >>> 16;
    x = Math.imul(x, 0x85ebca6b) >>> 0;
    x ^= x >>> 13;
    x = Math.imul(x, 0xc2b2ae35) >>> 0;
    x ^= x >>> 16;
    out[j] = base + (((x & 0xffff) << 16) >> 16) * k;
  }
  return out;
}

const count = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** All values of a tensor whose fill is not a hash (the buffers: small). */
export function bufferValues(t: TensorPlan, dim: number): Float32Array {
  const f = t.fill;
  if (f.kind === 'zeros') return new Float32Array(count(t.shape));
  if (f.kind === 'sincos2d') return sincos2d(f.rows, f.cols, dim);
  if (f.kind === 'sincos1d') return sincos1d(f.length, dim);
  return hashedValues(f.seed, f.base, f.scale, 0, new Float32Array(count(t.shape)));
}

/** The safetensors header: sorted tensors laid out back to back in float32, padded to 8 bytes. */
export function safetensorsHeader(tensors: readonly TensorPlan[], metadata: Record<string, string>): { json: string; dataBytes: number } {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    const bytes = 4 * count(t.shape);
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  while ((8 + Buffer.byteLength(json)) % 8 !== 0) json += ' ';
  return { json, dataBytes: offset };
}

/** Bumped when what the writer makes changes, so an old cache is rewritten. */
export const WRITER_VERSION = 1;

export interface WrittenCheckpoint {
  readonly dir: string;
  readonly bytes: number;
  readonly params: number;
  /** Seconds spent writing now; 0 when the cached copy was reused. */
  readonly writeSeconds: number;
  readonly reused: boolean;
}

/** Writes config.json + model.safetensors into `dir` (hashed tensors streamed in 4 M-value chunks). */
export function writeRandomOfficialFm(dir: string, config: Record<string, unknown>): { bytes: number; params: number } {
  const dim = config.dim as number;
  const { tensors, aliases } = officialTensorPlan(config);
  const { json, dataBytes } = safetensorsHeader(tensors, { format: 'pt', ...aliases });
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'model.safetensors');
  const partial = `${file}.partial`;
  const fd = openSync(partial, 'w');
  try {
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
    writeSync(fd, len);
    writeSync(fd, Buffer.from(json, 'utf8'));
    const chunk = new Float32Array(1 << 22);
    for (const t of tensors) {
      const n = count(t.shape);
      if (t.fill.kind !== 'hash') {
        const v = bufferValues(t, dim);
        writeSync(fd, Buffer.from(v.buffer, v.byteOffset, v.byteLength));
        continue;
      }
      for (let start = 0; start < n; start += chunk.length) {
        const part = chunk.subarray(0, Math.min(chunk.length, n - start));
        hashedValues(t.fill.seed, t.fill.base, t.fill.scale, start, part);
        writeSync(fd, Buffer.from(part.buffer, part.byteOffset, part.byteLength));
      }
    }
  } finally {
    closeSync(fd);
  }
  renameSync(partial, file);
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  return { bytes: 8 + Buffer.byteLength(json) + dataBytes, params: tensors.reduce((a, t) => a + count(t.shape), 0) };
}

/** `$XDG_CACHE_HOME/4m-studio/bench` (else ~/.cache/…), or BENCH_CACHE_DIR. */
export function benchCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.BENCH_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), '4m-studio', 'bench');
}

/** Folder name of a size: official-4m21-d768-e12-d12-h12. */
export const checkpointName = (s: FmSize): string => `official-4m21-d${s.dim}-e${s.encoderDepth}-d${s.decoderDepth}-h${s.heads}`;

/** The checkpoint of `size` under `cacheDir`, written when missing or stale (its stamp differs). */
export function ensureRandomOfficialFm(cacheDir: string, size: FmSize): WrittenCheckpoint {
  const dir = join(cacheDir, checkpointName(size));
  const stampFile = join(dir, 'bench-stamp.json');
  const config = officialConfig(size);
  const stamp = JSON.stringify({ writer: WRITER_VERSION, config });
  const file = join(dir, 'model.safetensors');
  if (existsSync(stampFile) && existsSync(file) && readFileSync(stampFile, 'utf8') === stamp) {
    const params = officialTensorPlan(config).tensors.reduce((a, t) => a + count(t.shape), 0);
    return { dir, bytes: statSync(file).size, params, writeSeconds: 0, reused: true };
  }
  rmSync(dir, { recursive: true, force: true }); // stale graphs would point into an old file
  const t0 = performance.now();
  const { bytes, params } = writeRandomOfficialFm(dir, config);
  writeFileSync(stampFile, stamp);
  return { dir, bytes, params, writeSeconds: (performance.now() - t0) / 1000, reused: false };
}
