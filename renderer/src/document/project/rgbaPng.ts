// RGBA8 pixels ⇄ PNG file bytes, synchronously: how project files keep a result's input pixels
// (a painted 224 px sketch is ~200 KB raw, a few KB as PNG). Lossless, so the bytes that come back
// are the bytes that went in (their SHA-256 ref still holds). Reads 8-bit RGBA, non-interlaced:
// what encodeRgbaPng writes.
import { crc32 } from './crc32';
import { deflateZlib, inflateZlib } from './zlib';

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const BPP = 4;

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** The predictor of PNG filter `type` for byte `x` of a row (`row` and `up` unfiltered). */
function predict(type: number, row: Uint8Array, up: Uint8Array | null, x: number): number {
  const a = x >= BPP ? (row[x - BPP] ?? 0) : 0;
  const b = up ? (up[x] ?? 0) : 0;
  const c = up && x >= BPP ? (up[x - BPP] ?? 0) : 0;
  switch (type) {
    case 1:
      return a;
    case 2:
      return b;
    case 3:
      return (a + b) >> 1;
    case 4:
      return paeth(a, b, c);
    default:
      return 0;
  }
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** A PNG of `rgba` (width × height × 4 bytes). Each row takes the filter with the smallest residuals, as libpng does. */
export function encodeRgbaPng(width: number, height: number, rgba: Uint8Array): Uint8Array {
  const stride = width * BPP;
  if (rgba.length !== stride * height) throw new Error(`encodeRgbaPng: expected ${stride * height} bytes for ${width}×${height} RGBA, got ${rgba.length}`);
  const raw = new Uint8Array((stride + 1) * height);
  const trial = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const row = rgba.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? rgba.subarray((y - 1) * stride, y * stride) : null;
    let best = Infinity;
    for (let type = 0; type <= 4; type++) {
      let cost = 0;
      for (let x = 0; x < stride; x++) {
        const v = ((row[x] ?? 0) - predict(type, row, up, x)) & 0xff;
        trial[x] = v;
        cost += v < 128 ? v : 256 - v;
      }
      if (cost < best) {
        best = cost;
        raw[y * (stride + 1)] = type;
        raw.set(trial, y * (stride + 1) + 1);
      }
    }
  }
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, adaptive filters, no interlace
  const parts = [SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateZlib(raw)), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The RGBA bytes of a PNG that must be `width` × `height`, or why it can't be read. Never throws on bad bytes. */
export function decodeRgbaPng(bytes: Uint8Array, width: number, height: number): Uint8Array | string {
  if (bytes.length < SIGNATURE.length || SIGNATURE.some((b, i) => bytes[i] !== b)) return 'not a PNG file (no PNG signature)';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const idat: Uint8Array[] = [];
  let sawHeader = false;
  let ended = false;
  for (let at = SIGNATURE.length; !ended; ) {
    if (at + 12 > bytes.length) return 'the PNG file ends before its IEND chunk';
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (at + 12 + length > bytes.length) return `the PNG's ${type} chunk runs past the end of the file`;
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (view.getUint32(at + 8 + length) !== crc32(bytes.subarray(at + 4, at + 8 + length))) return `the PNG's ${type} chunk is damaged (checksum)`;
    if (!sawHeader && type !== 'IHDR') return 'a PNG file without its IHDR header first';
    if (type === 'IHDR') {
      if (length !== 13) return 'a PNG IHDR chunk of the wrong length';
      const w = view.getUint32(at + 8);
      const h = view.getUint32(at + 12);
      if (w !== width || h !== height) return `the PNG is ${w}×${h}, the entry says ${width}×${height}`;
      const [depth, color, compression, filter, interlace] = data.subarray(8, 13);
      if (depth !== 8 || color !== 6 || compression !== 0 || filter !== 0 || interlace !== 0) return 'expected an 8-bit RGBA PNG without interlacing';
      sawHeader = true;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') ended = true;
    at += 12 + length;
  }
  const stride = width * BPP;
  const compressed = new Uint8Array(idat.reduce((n, d) => n + d.length, 0));
  idat.reduce((at, d) => (compressed.set(d, at), at + d.length), 0);
  const raw = inflateZlib(compressed, (stride + 1) * height);
  if (typeof raw === 'string') return `the PNG's pixel data can't be read: ${raw}`;
  if (raw.length !== (stride + 1) * height) return `the PNG holds ${raw.length} bytes of pixel data, expected ${(stride + 1) * height}`;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const type = raw[y * (stride + 1)] ?? 0;
    if (type > 4) return `row ${y} of the PNG has an unknown filter (${type})`;
    const row = out.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? out.subarray((y - 1) * stride, y * stride) : null;
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) row[x] = ((src[x] ?? 0) + predict(type, row, up, x)) & 0xff;
  }
  return out;
}
