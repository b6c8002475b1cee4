import { describe, expect, it } from 'vitest';
import { cropSamMask, readSamPainting, samQueryPoints } from '../../../../../models/tokenizers/image/sam-encode';
import type { SamMaskInput } from '../../../../../preload/contract/sam-painting';

const S = 224;

function rect(x0: number, y0: number, x1: number, y1: number, size = S): SamMaskInput & { mask: Uint8Array } {
  const mask = new Uint8Array(size * size);
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) mask[y * size + x] = 1;
  return { width: size, height: size, mask };
}

describe('SAM instance masks → box and 64×64 crop', () => {
  it('a solid rectangle fills the whole crop, whether shrunk or enlarged', () => {
    for (const r of [rect(0, 0, 223, 223), rect(100, 100, 120, 110), rect(5, 5, 200, 30)]) {
      const { crop } = cropSamMask(r);
      expect(crop.length).toBe(64 * 64);
      expect(crop.every((v) => v === 1)).toBe(true);
    }
  });

  it('two separate squares stay apart in the crop (the gap between them is empty)', () => {
    const m = rect(10, 10, 29, 29);
    for (let y = 10; y <= 29; y++) for (let x = 50; x <= 69; x++) m.mask[y * S + x] = 1;
    const { box, crop } = cropSamMask(m);
    expect(box).toEqual({ xmin: 10, ymin: 10, xmax: 69, ymax: 29 });
    // Columns of the gap (x 30…49 → crop 21…41) are empty on every row.
    for (let v = 0; v < 64; v++) for (let u = 22; u <= 40; u++) expect(crop[v * 64 + u]).toBe(0);
    expect(crop[0]).toBe(1);
    expect(crop[63 * 64 + 63]).toBe(1);
  });

  it('refuses to crop what samMaskProblem refuses (preload/contract/sam-painting)', () => {
    expect(() => cropSamMask({ width: S, height: S, mask: new Uint8Array(S * S) })).toThrow(/empty/);
    expect(() => cropSamMask(rect(10, 10, 13, 13))).toThrow(/too small/);
  });
});

describe('query points for a condition', () => {
  it('one point per instance at its deepest pixel; a point lists every instance containing it', () => {
    const big = rect(0, 0, 99, 99);
    const small = rect(40, 40, 59, 59); // inside big
    const apart = rect(150, 150, 200, 170);
    const points = samQueryPoints([big, small, apart]);
    // big's own part (outside small) is a frame; its deepest pixel is not in small.
    expect(points[0]?.members).toEqual([0]);
    expect(points[1]).toMatchObject({ members: [0, 1] });
    const p1 = points[1] as { x: number; y: number };
    expect(p1.x >= 40 && p1.x <= 59 && p1.y >= 40 && p1.y <= 59).toBe(true);
    expect(points[2]).toEqual({ x: 175, y: 160, members: [2] });
    expect(points).toHaveLength(3);
  });

  it('an instance wholly covered by another is named at its deepest pixel, with the one over it', () => {
    const a = rect(10, 10, 50, 50);
    const b = rect(10, 10, 50, 50);
    expect(samQueryPoints([a, b])).toEqual([{ x: 30, y: 30, members: [0, 1] }]);
    expect(samQueryPoints([])).toEqual([]);
  });
});

describe('a painting of objects', () => {
  it('gives one checked mask per colour, and names the colour of an object too small to read', () => {
    const data = new Uint8Array(S * S * 4);
    const paint = (x0: number, y0: number, x1: number, y1: number, rgb: number[]): void => {
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data.set([...rgb, 255], (y * S + x) * 4);
    };
    paint(10, 10, 60, 60, [255, 0, 0]);
    paint(100, 100, 180, 150, [0, 0, 255]);
    const masks = readSamPainting({ width: S, height: S, data });
    expect(masks.map((m) => Array.from(m.mask).reduce((a, v) => a + v, 0))).toEqual([2500, 4000]);
    paint(200, 200, 201, 201, [0, 255, 0]);
    expect(() => readSamPainting({ width: S, height: S, data })).toThrow(/^the object in #00ff00: /);
    expect(() => readSamPainting({ width: S, height: S, data: new Uint8Array(S * S * 4) })).toThrow(/^no objects: /);
  });
});
