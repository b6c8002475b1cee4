/**
 * Minimal safetensors reader: the 8-byte little-endian header length, the JSON
 * header, then raw little-endian tensors. F16 and F32 are read into float32
 * (the package stores float16 to halve its size; the maths runs in float32).
 */
import { readFile } from 'node:fs/promises';

export interface F32Tensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

export async function readSafetensors(file: string): Promise<Map<string, F32Tensor>> {
  const buf = await readFile(file);
  if (buf.length < 8) throw new Error(`${file}: too short for a safetensors file`);
  const headerLen = Number(buf.readBigUInt64LE(0));
  if (8 + headerLen > buf.length) throw new Error(`${file}: header length ${headerLen} runs past the end of the file`);
  const header = JSON.parse(buf.subarray(8, 8 + headerLen).toString('utf8')) as Record<string, HeaderEntry | Record<string, string>>;
  const base = 8 + headerLen;
  const out = new Map<string, F32Tensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const e = entry as HeaderEntry;
    const [begin, end] = e.data_offsets;
    const bytes = buf.subarray(base + begin, base + end);
    const count = e.shape.reduce((a, b) => a * b, 1);
    out.set(name, { data: decode(bytes, e.dtype, count, `${file}: ${name}`), shape: e.shape });
  }
  return out;
}

function decode(bytes: Buffer, dtype: string, count: number, what: string): Float32Array {
  const out = new Float32Array(count);
  if (dtype === 'F32') {
    if (bytes.length !== count * 4) throw new Error(`${what}: ${bytes.length} bytes for ${count} F32 values`);
    for (let i = 0; i < count; i++) out[i] = bytes.readFloatLE(i * 4);
    return out;
  }
  if (dtype === 'F16') {
    if (bytes.length !== count * 2) throw new Error(`${what}: ${bytes.length} bytes for ${count} F16 values`);
    for (let i = 0; i < count; i++) out[i] = halfToFloat(bytes.readUInt16LE(i * 2));
    return out;
  }
  throw new Error(`${what}: dtype ${dtype} is not supported (expected F16 or F32)`);
}

/** IEEE 754 binary16 → number, subnormals and infinities included. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}
