import { randomBytes } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeRgbaPng, encodeRgbaPng } from '../../../../renderer/src/document/project/rgbaPng';
import { deflateZlib, inflateZlib } from '../../../../renderer/src/document/project/zlib';

/** A painted-looking picture: flat areas, a gradient, a few noisy strokes. */
function painting(w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h * 4);
  let seed = 7;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      const sky = y < h / 2;
      out[i] = sky ? 90 + (y >> 2) : 40;
      out[i + 1] = sky ? 140 : 120 + ((x * y) % 7);
      out[i + 2] = (x + y) % 50 < 3 ? rnd() : sky ? 220 : 30;
      out[i + 3] = 255;
    }
  return out;
}

describe('zlib streams', () => {
  it('deflateZlib output is read by node:zlib, and inflateZlib reads node:zlib output (dynamic and stored blocks)', () => {
    const data = painting(64, 48);
    expect(new Uint8Array(inflateSync(deflateZlib(data)))).toEqual(data);
    for (const level of [0, 1, 9]) expect(inflateZlib(new Uint8Array(deflateSync(data, { level })), data.length)).toEqual(data);
    const empty = new Uint8Array(0);
    expect(inflateZlib(deflateZlib(empty), 0)).toEqual(empty);
    const noise = Uint8Array.from({ length: 70000 }, (_, i) => (i * 2654435761) >>> 24);
    expect(new Uint8Array(inflateSync(deflateZlib(noise)))).toEqual(noise);
    expect(inflateZlib(deflateZlib(noise), noise.length)).toEqual(noise);
  });

  it('names what is wrong instead of throwing, and never writes past the expected size', () => {
    const stream = deflateZlib(painting(16, 16));
    expect(inflateZlib(stream, 100)).toBe('more than the expected 100 bytes');
    expect(inflateZlib(stream.subarray(0, stream.length - 10), 16 * 16 * 4)).toMatch(/ends early|checksum/);
    expect(inflateZlib(Uint8Array.of(1, 2, 3, 4, 5, 6), 10)).toBe('not a zlib stream');
    const flipped = stream.slice();
    flipped[flipped.length - 1]! ^= 1;
    expect(inflateZlib(flipped, 16 * 16 * 4)).toBe('the decompressed data does not match its checksum');
    for (let i = 0; i < 200; i++) {
      const junk = stream.slice();
      junk[2 + (i % (junk.length - 2))] = (i * 37) & 0xff;
      expect(() => inflateZlib(junk, 16 * 16 * 4)).not.toThrow();
    }
  });
});

describe('RGBA pictures as PNG', () => {
  it('round-trips byte for byte, and other decoders read it as the same pixels', async () => {
    const rgba = painting(224, 224);
    const png = encodeRgbaPng(224, 224, rgba);
    expect(decodeRgbaPng(png, 224, 224)).toEqual(rgba);
    expect(png.length).toBeLessThan(rgba.length / 4);
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect(info).toMatchObject({ width: 224, height: 224, channels: 4 });
    expect(new Uint8Array(data)).toEqual(rgba);
    expect(encodeRgbaPng(224, 224, rgba)).toEqual(png); // deterministic
  });

  it('a picture that does not compress (noise) costs its raw size and a little, never much more', () => {
    const noise = new Uint8Array(randomBytes(224 * 224 * 4));
    const png = encodeRgbaPng(224, 224, noise);
    // A filter byte per row, block and chunk headers: under 0.2 % over raw.
    expect(png.length).toBeLessThan(noise.length * 1.002);
    expect(decodeRgbaPng(png, 224, 224)).toEqual(noise);
  });

  it('reads a PNG another encoder wrote (RGBA, adaptive filters, dynamic Huffman)', async () => {
    const rgba = painting(50, 30);
    const png = new Uint8Array(await sharp(rgba, { raw: { width: 50, height: 30, channels: 4 } }).png({ compressionLevel: 9, adaptiveFiltering: true }).toBuffer());
    expect(decodeRgbaPng(png, 50, 30)).toEqual(rgba);
  });

  it('names a wrong size, another pixel format, a damaged chunk, or not a PNG', async () => {
    const png = encodeRgbaPng(8, 4, painting(8, 4));
    expect(decodeRgbaPng(png, 4, 8)).toBe('the PNG is 8×4, the entry says 4×8');
    expect(decodeRgbaPng(png.subarray(1), 8, 4)).toBe('not a PNG file (no PNG signature)');
    expect(decodeRgbaPng(png.subarray(0, png.length - 6), 8, 4)).toBe('the PNG file ends before its IEND chunk');
    const damaged = png.slice();
    damaged[40]! ^= 0xff;
    expect(decodeRgbaPng(damaged, 8, 4)).toMatch(/damaged \(checksum\)/);
    const rgb = new Uint8Array(await sharp(Buffer.alloc(8 * 4 * 3, 9), { raw: { width: 8, height: 4, channels: 3 } }).png().toBuffer());
    expect(decodeRgbaPng(rgb, 8, 4)).toBe('expected an 8-bit RGBA PNG without interlacing');
    expect(() => encodeRgbaPng(8, 4, new Uint8Array(5))).toThrow(/expected 128 bytes/);
  });
});
