import { describe, expect, it } from 'vitest';
import { meanAngularErrorDeg, psnr } from '../../../../../models/eval/metrics';
import type { RgbaImage } from '../../../../../models/tokenizers/image';

function image(pixels: [number, number, number][], alpha = 255): RgbaImage {
  return { width: pixels.length, height: 1, data: Uint8Array.from(pixels.flatMap((p) => [...p, alpha])) };
}

/** A unit normal in the file convention RGB = (n + 1)·127.5. */
const enc = (x: number, y: number, z: number): [number, number, number] => [Math.round((x + 1) * 127.5), Math.round((y + 1) * 127.5), Math.round((z + 1) * 127.5)];

describe('meanAngularErrorDeg', () => {
  it('is 0 for identical normals and ignores alpha', () => {
    // Not exactly 0: acos of a float dot product just under 1 (the recipe's numpy gives the same).
    expect(meanAngularErrorDeg(image([enc(0, 0, 1)], 0), image([enc(0, 0, 1)], 255))).toBeLessThan(0.01);
  });

  it('measures the angle between encoded unit vectors', () => {
    // +z vs +x is 90°, +z vs −z is 180°, up to the 8-bit encoding's rounding (128 is +0.004, not 0).
    expect(Math.abs(meanAngularErrorDeg(image([enc(0, 0, 1)]), image([enc(1, 0, 0)])) - 90)).toBeLessThan(0.5);
    expect(Math.abs(meanAngularErrorDeg(image([enc(0, 0, 1)]), image([enc(0, 0, -1)])) - 180)).toBeLessThan(1);
  });

  it('renormalises each vector (only the direction counts)', () => {
    expect(meanAngularErrorDeg(image([[255, 255, 127]]), image([[191, 191, 127]]))).toBeLessThan(1);
  });

  it('rejects images of different sizes', () => {
    expect(() => meanAngularErrorDeg(image([enc(0, 0, 1)]), image([enc(0, 0, 1), enc(0, 0, 1)]))).toThrow(RangeError);
  });
});

describe('psnr', () => {
  it('uses RGB only, peak 255', () => {
    // Every RGB value off by 1 → MSE 1 → 20·log10(255) dB; alpha differences do not count.
    expect(psnr(image([[10, 20, 30]], 0), image([[11, 21, 31]], 255))).toBeCloseTo(20 * Math.log10(255), 10);
  });

  it('is finite for identical images', () => {
    expect(psnr(image([[1, 2, 3]]), image([[1, 2, 3]]))).toBeCloseTo(10 * Math.log10((255 * 255) / 1e-12), 6);
  });
});
