/** `--mask`: a mask picture → keepMask on the token grid; the result → the input outside the region. */
import { describe, expect, it } from 'vitest';
import { keepMaskFromPicture, pasteOutsideRegion } from '../../../../models/cli/mask';

const picture = (w: number, h: number, px: (x: number, y: number) => [number, number, number, number]) => {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set(px(x, y), (y * w + x) * 4);
  return { width: w, height: h, data };
};

describe('keepMaskFromPicture', () => {
  it('regenerates a token when any pixel of its cell is bright and opaque', () => {
    // 8×8 pixels on a 4×4 grid (2×2 cells): one white pixel in cell (1, 2), a transparent white one in (3, 0), grey 100 in (0, 0).
    const img = picture(8, 8, (x, y) => (x === 5 && y === 3 ? [255, 255, 255, 255] : x === 1 && y === 6 ? [255, 255, 255, 0] : x < 2 && y < 2 ? [100, 100, 100, 255] : [0, 0, 0, 255]));
    const keep = keepMaskFromPicture(img, 4, 4);
    expect(keep.filter((k) => k === 0)).toHaveLength(1);
    expect(keep[1 * 4 + 2]).toBe(0);
  });

  it('fits grids that do not divide the picture (cell edges rounded)', () => {
    const keep = keepMaskFromPicture(picture(10, 10, (x) => (x >= 9 ? [255, 0, 0, 255] : [0, 0, 0, 255])), 3, 3);
    expect(keep).toEqual([1, 1, 0, 1, 1, 0, 1, 1, 0]);
  });
});

describe('pasteOutsideRegion', () => {
  const original = picture(16, 16, () => [10, 20, 30, 255]);
  const generated = picture(16, 16, () => [200, 100, 50, 255]);
  const keep = [1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]; // cell (1, 1) of a 4×4 grid: pixels 4…7

  it('class maps: hard, exactly the generated cells', () => {
    const out = pasteOutsideRegion(original, generated, keep, 4, 4, true);
    for (let y = 0; y < 16; y++) {
      for (let x = 0; x < 16; x++) {
        const inside = x >= 4 && x < 8 && y >= 4 && y < 8;
        expect(Array.from(out.data.subarray((y * 16 + x) * 4, (y * 16 + x) * 4 + 3))).toEqual(inside ? [200, 100, 50] : [10, 20, 30]);
      }
    }
  });

  it('pictures: fade across the seam, the original far from it, the result at its centre', () => {
    const out = pasteOutsideRegion(original, generated, keep, 4, 4);
    const at = (x: number, y: number): number => out.data[(y * 16 + x) * 4] as number;
    expect(at(0, 0)).toBe(10);
    expect(at(15, 15)).toBe(10);
    expect(at(5, 5)).toBeGreaterThan(10);
    expect(at(5, 5)).toBeLessThanOrEqual(200);
    expect(() => pasteOutsideRegion(picture(8, 8, () => [0, 0, 0, 255]), generated, keep, 4, 4)).toThrow(/the input picture is 8×8, the result 16×16/);
  });
});
