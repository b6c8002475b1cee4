/** Writes small safetensors files for tests, in the format's own layout (header JSON padded to 8 bytes). */
import { writeFileSync } from 'node:fs';

export type Dtype = 'F32' | 'F16' | 'BF16' | 'I64';

export interface TestTensor {
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  readonly values: ArrayLike<number>;
}

/** float → IEEE binary16 bits (round to nearest even), enough for test values. */
export function floatToHalf(v: number): number {
  const f = new Float32Array([v]);
  const x = new Uint32Array(f.buffer)[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  let mant = x & 0x7fffff;
  if (exp <= 0) {
    if (exp < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - exp;
    const half = mant >> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rem > mid || (rem === mid && half & 1) ? 1 : 0));
  }
  if (exp >= 31) return sign | 0x7c00;
  const half = (exp << 10) | (mant >> 13);
  const rem = mant & 0x1fff;
  return sign | (half + (rem > 0x1000 || (rem === 0x1000 && half & 1) ? 1 : 0));
}

export function encode(t: TestTensor): Buffer {
  const n = t.values.length;
  if (t.dtype === 'F32') return Buffer.from(Float32Array.from(t.values).buffer);
  if (t.dtype === 'I64') return Buffer.from(BigInt64Array.from(Array.from(t.values, (v) => BigInt(v))).buffer);
  const out = new Uint16Array(n);
  const bits = new Uint32Array(Float32Array.from(t.values).buffer);
  for (let i = 0; i < n; i++) out[i] = t.dtype === 'F16' ? floatToHalf(t.values[i] as number) : (bits[i] as number) >>> 16;
  return Buffer.from(out.buffer);
}

/** Header bytes (length prefix + JSON padded with spaces) for a raw header object. */
export function headerBytes(header: unknown): Buffer {
  let json = JSON.stringify(header);
  while ((8 + Buffer.byteLength(json)) % 8 !== 0) json += ' ';
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  return Buffer.concat([len, Buffer.from(json)]);
}

export function safetensorsBytes(tensors: Record<string, TestTensor>, metadata?: Record<string, string>): Buffer {
  const header: Record<string, unknown> = metadata ? { __metadata__: metadata } : {};
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const bytes = encode(t);
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  return Buffer.concat([headerBytes(header), ...chunks]);
}

export function writeSafetensors(file: string, tensors: Record<string, TestTensor>, metadata?: Record<string, string>): void {
  writeFileSync(file, safetensorsBytes(tensors, metadata));
}
