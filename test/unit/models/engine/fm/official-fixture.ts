/**
 * Rebuilds the official-format checkpoint of test/fixtures/official-fm (made by the official 4M
 * code: models/recipe/fourm_recipe/official/fm_fixture.py) byte for byte: the header as the
 * official code wrote it, parameters from the same integer hash as the recipe, buffers (sin-cos
 * tables, zero LayerNorm biases) from buffers.bin. The SHA-256 of the result must be the one the
 * recipe recorded, so the engine is compared on exactly the weights the official code ran.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURE_DIR = join(__dirname, '../../../../fixtures/official-fm');

type Fill = { seed: string; base: number; scale: number } | { buffer: number };
export interface CheckpointFixture {
  sha256: string;
  bytes: number;
  header: string;
  config: Record<string, unknown>;
  tensors: Record<string, Fill>;
  buffers: [number, number][];
}
interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

export const CHECKPOINT = JSON.parse(readFileSync(join(FIXTURE_DIR, 'checkpoint.json'), 'utf8')) as CheckpointFixture;

export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(text, 'utf8')) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/** The recipe's hash_int16: the same murmur3-style mix of (seed, index), as signed 16-bit values. */
export function hashInt16(seed: number, n: number): Int16Array {
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    let x = (seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0;
    x ^= x >>> 16;
    x = Math.imul(x, 0x85ebca6b) >>> 0;
    x ^= x >>> 13;
    x = Math.imul(x, 0xc2b2ae35) >>> 0;
    x ^= x >>> 16;
    out[i] = (x & 0xffff) << 16 >> 16;
  }
  return out;
}

function values(fixture: CheckpointFixture, fill: Fill, n: number, buffers: Buffer): Float32Array {
  if ('buffer' in fill) {
    const [a, b] = fixture.buffers[fill.buffer] as [number, number];
    if ((b - a) / 4 !== n) throw new Error(`buffer ${fill.buffer} holds ${(b - a) / 4} values, the tensor ${n}`);
    return new Float32Array(buffers.buffer.slice(buffers.byteOffset + a, buffers.byteOffset + b));
  }
  const h = hashInt16(fnv1a32(fill.seed), n);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = fill.base + ((h[i] as number) * fill.scale) / 32768;
  return out;
}

/** float32 → IEEE binary16 bits, round to nearest even (no overflow: every value here is far below 65504). */
function toHalf(v: Float32Array): Uint16Array {
  const bits = new Uint32Array(v.buffer, v.byteOffset, v.length);
  const out = new Uint16Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = bits[i] as number;
    const sign = (x >>> 16) & 0x8000;
    const exp = ((x >>> 23) & 0xff) - 112;
    let mant = x & 0x7fffff;
    if (exp <= 0) {
      // Half's subnormal range (|v| < 6.1e-5), or zero.
      if (exp < -10) {
        out[i] = sign;
        continue;
      }
      mant |= 0x800000;
      const shift = 14 - exp;
      const h = mant >>> shift;
      const r = mant & ((1 << shift) - 1);
      const mid = 1 << (shift - 1);
      out[i] = sign | (h + (r > mid || (r === mid && h & 1) ? 1 : 0));
      continue;
    }
    let h = (exp << 10) | (mant >>> 13);
    const rem = mant & 0x1fff;
    if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++;
    out[i] = sign | h;
  }
  return out;
}

function headerBlock(json: string): Buffer {
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  return Buffer.concat([len, Buffer.from(json, 'utf8')]);
}

/** The 4M-7-SR-layout checkpoint (fourm_recipe/official/fm_sr_fixture.py): 14×14 and 28×28 grids in one FM. */
export const SR_FIXTURE_DIR = join(__dirname, '../../../../fixtures/official-fm-sr');
export const SR_CHECKPOINT = JSON.parse(readFileSync(join(SR_FIXTURE_DIR, 'checkpoint.json'), 'utf8')) as CheckpointFixture;

/** Writes the SR checkpoint's model.safetensors + config.json into `dir`; returns its SHA-256. */
export function writeOfficialSrCheckpoint(dir: string): string {
  return rebuildCheckpoint(SR_CHECKPOINT, SR_FIXTURE_DIR, dir);
}

/** The tokenizer fixture each layer's folder is rebuilt from. */
const TOKENIZER_FIXTURES = { semseg: 'official-vqvae', rgb: 'official-divae-rgb', depth: 'official-divae-depth' } as const;
export type FixtureTokenizer = keyof typeof TOKENIZER_FIXTURES;

/** tokenizers/<layer>/ in a model folder, one per layer, rebuilt from the tokenizer fixtures. */
function writeTokenizerFolders(dir: string, layers: readonly FixtureTokenizer[]): void {
  for (const layer of layers) {
    const fixtureDir = join(FIXTURE_DIR, '..', TOKENIZER_FIXTURES[layer]);
    mkdirSync(join(dir, 'tokenizers', layer), { recursive: true });
    rebuildCheckpoint(JSON.parse(readFileSync(join(fixtureDir, 'checkpoint.json'), 'utf8')) as CheckpointFixture, fixtureDir, join(dir, 'tokenizers', layer));
  }
}

/**
 * An official super-resolution model folder in `dir`: fm/ (the SR-layout FM) and, per layer,
 * tokenizers/semseg (the semseg VQ-VAE fixture) / tokenizers/rgb (the RGB DiVAE fixture).
 */
export function writeOfficialSrFolder(dir: string, layers: readonly ('semseg' | 'rgb')[] = ['semseg', 'rgb']): void {
  mkdirSync(join(dir, 'fm'), { recursive: true });
  writeOfficialSrCheckpoint(join(dir, 'fm'));
  writeTokenizerFolders(dir, layers);
}

/**
 * An official 4M-21-layout model folder in `dir` as a user installs it: fm/ (the fixture FM),
 * tokenizers/<layer>/ for each of `layers`, and the WordPiece file when `wordpiece` names one.
 */
export function writeOfficialFolder(dir: string, layers: readonly FixtureTokenizer[], wordpiece?: string): void {
  mkdirSync(join(dir, 'fm'), { recursive: true });
  writeOfficialCheckpoint(join(dir, 'fm'));
  writeTokenizerFolders(dir, layers);
  if (wordpiece) copyFileSync(wordpiece, join(dir, 'text_tokenizer_4m_wordpiece_30k.json'));
}

/** Writes model.safetensors + config.json into `dir`; returns the checkpoint's SHA-256. */
export function writeOfficialCheckpoint(dir: string, dtype: 'F32' | 'F16' = 'F32'): string {
  return rebuildCheckpoint(CHECKPOINT, FIXTURE_DIR, dir, dtype);
}

/**
 * Rebuilds a checkpoint described by a fixture maker's checkpoint.json (hashed parameters, stored
 * buffers from `fixtureDir`/buffers.bin) into `dir`; returns its SHA-256. F16 rounds every tensor.
 */
export function rebuildCheckpoint(fixture: CheckpointFixture, fixtureDir: string, dir: string, dtype: 'F32' | 'F16' = 'F32'): string {
  const buffers = readFileSync(join(fixtureDir, 'buffers.bin'));
  const header = JSON.parse(fixture.header) as Record<string, HeaderEntry | Record<string, string>>;
  const names = Object.keys(header).filter((k) => k !== '__metadata__');
  let file: Buffer;
  if (dtype === 'F32') {
    const block = headerBlock(fixture.header);
    file = Buffer.alloc(fixture.bytes);
    block.copy(file, 0);
    for (const k of names) {
      const e = header[k] as HeaderEntry;
      const n = e.shape.reduce((a, b) => a * b, 1);
      const v = values(fixture, fixture.tensors[k] as Fill, n, buffers);
      Buffer.from(v.buffer, v.byteOffset, v.byteLength).copy(file, block.length + e.data_offsets[0]);
    }
  } else {
    // The same tensors rounded to float16 (round to nearest even), in a header of our own.
    const out: Record<string, unknown> = {};
    if (header.__metadata__) out.__metadata__ = header.__metadata__;
    const chunks: Buffer[] = [];
    let offset = 0;
    for (const k of names) {
      const e = header[k] as HeaderEntry;
      const n = e.shape.reduce((a, b) => a * b, 1);
      const v = values(fixture, fixture.tensors[k] as Fill, n, buffers);
      const half = toHalf(v);
      out[k] = { dtype: 'F16', shape: e.shape, data_offsets: [offset, offset + 2 * n] };
      chunks.push(Buffer.from(half.buffer));
      offset += 2 * n;
    }
    let json = JSON.stringify(out);
    while ((8 + Buffer.byteLength(json)) % 8 !== 0) json += ' ';
    file = Buffer.concat([headerBlock(json), ...chunks]);
  }
  writeFileSync(join(dir, 'model.safetensors'), file);
  writeFileSync(join(dir, 'config.json'), JSON.stringify(fixture.config, null, 2));
  return createHash('sha256').update(file).digest('hex');
}

/** The DiVAE fixture makers' hashed_normal (diffusers_standins.py): Box–Muller's cosine branch over the int16 hash's uniforms. */
export function hashedNormal(seed: string, n: number): Float32Array {
  const h = hashInt16(fnv1a32(seed), 2 * n);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u1 = ((h[2 * i] as number) + 32768.5) / 65536;
    const u2 = ((h[2 * i + 1] as number) + 32768.5) / 65536;
    out[i] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
  return out;
}

/** The picture of fm_pixel_fixture.py: the low byte of the hash of `seed`, H × W × 3, as opaque RGBA. */
export function hashedPicture(seed = 'rgb@224 picture', side = 224): { width: number; height: number; data: Uint8Array } {
  const h = hashInt16(fnv1a32(seed), side * side * 3);
  const data = new Uint8Array(side * side * 4).fill(255);
  for (let p = 0; p < side * side; p++) for (let c = 0; c < 3; c++) data[p * 4 + c] = (h[p * 3 + c] as number) & 0xff;
  return { width: side, height: side, data };
}
