// zlib streams (RFC 1950) for the PNGs inside project files, synchronously (save and open are
// synchronous in the page and in main). The deflate itself is fflate's; this module adds what a file
// from anywhere needs: a bounded output (a few bytes may claim gigabytes), the checksum verified,
// and every failure returned as words instead of thrown.
import { Inflate, zlibSync } from 'fflate';

/** Compressed bytes are inflated this many at a time, so output can be checked before it grows on (one slice inflates to at most ~1032× its size). */
const SLICE = 16 * 1024;

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; ) {
    // 5552 bytes is the most that can be summed before the 32-bit sums must be reduced.
    const end = Math.min(i + 5552, bytes.length);
    for (; i < end; i++) {
      a += bytes[i] ?? 0;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** A zlib stream of `data` (deflate level 6, as libpng's default). */
export function deflateZlib(data: Uint8Array): Uint8Array {
  return zlibSync(data, { level: 6 });
}

/** A zlib stream's bytes, or why they can't be read. More than `maxBytes` of output is an error, not an allocation. */
export function inflateZlib(stream: Uint8Array, maxBytes: number): Uint8Array | string {
  const cmf = stream[0] ?? 0;
  const flg = stream[1] ?? 0;
  if (stream.length < 6 || (cmf & 0x0f) !== 8 || (cmf * 256 + flg) % 31 !== 0 || flg & 0x20) return 'not a zlib stream';
  const out = new Uint8Array(maxBytes);
  let pos = 0;
  let tooLong = false;
  const inflater = new Inflate((chunk) => {
    if (pos + chunk.length > maxBytes) {
      tooLong = true;
      throw new RangeError('output past the expected size');
    }
    out.set(chunk, pos);
    pos += chunk.length;
  });
  const body = stream.subarray(2, stream.length - 4);
  try {
    for (let at = 0; at < body.length || at === 0; at += SLICE) inflater.push(body.subarray(at, at + SLICE), at + SLICE >= body.length);
  } catch (error) {
    if (tooLong) return `more than the expected ${maxBytes} bytes`;
    // fflate's messages ("unexpected EOF", "invalid distance", …) say what broke.
    const why = error instanceof Error ? error.message : String(error);
    return /EOF/i.test(why) ? 'the compressed data ends early' : `the compressed data is damaged (${why})`;
  }
  const data = out.subarray(0, pos);
  const at = stream.length - 4;
  const stored = (((stream[at] ?? 0) << 24) | ((stream[at + 1] ?? 0) << 16) | ((stream[at + 2] ?? 0) << 8) | (stream[at + 3] ?? 0)) >>> 0;
  if (stored !== adler32(data)) return 'the decompressed data does not match its checksum';
  return data;
}
