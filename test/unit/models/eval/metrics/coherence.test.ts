import { describe, expect, it } from 'vitest';
import { connectedRegions, foldObjects, interiorMask, regionCoherence, share } from '../../../../../models/eval/metrics/coherence';
import type { RgbaImage } from '../../../../../models/tokenizers/image';

const W = 20;
/** Left half class 0 (sky), right half class 2 (an object). */
const layout = Uint8Array.from({ length: W * W }, (_, i) => (i % W < 10 ? 0 : 2));

function picture(colour: (x: number, y: number) => readonly [number, number, number]): RgbaImage {
  const data = new Uint8Array(W * W * 4);
  for (let y = 0; y < W; y++) for (let x = 0; x < W; x++) data.set([...colour(x, y), 255], (y * W + x) * 4);
  return { width: W, height: W, data };
}

describe('regionCoherence', () => {
  it('counts a flat picture fully coherent, objects and background apart', () => {
    const c = regionCoherence(picture((x) => (x < 10 ? [80, 120, 200] : [200, 30, 30])), layout, [0, 1]);
    // 2 px around the border column are left out: 8 of 10 columns each side.
    expect(c.background).toEqual({ coherent: 8 * W, pixels: 8 * W });
    expect(c.objects).toEqual({ coherent: 8 * W, pixels: 8 * W });
  });

  it('scores confetti inside an object low while a clean background stays coherent', () => {
    const confetti = picture((x, y) => (x < 10 ? [80, 120, 200] : (x + y) % 2 === 0 ? [250, 20, 20] : [20, 20, 250]));
    const c = regionCoherence(confetti, layout, [0, 1]);
    expect(share(c.background)).toBe(1);
    // Half the pixels are 330 away from the other half; the median lands on one colour (or between).
    expect(share(c.objects)).toBeLessThanOrEqual(0.5);
  });

  it('counts pixels within the radius of the median, not beyond', () => {
    const ramp = picture((x) => (x < 10 ? [100, 100, 100] : [100 + (x - 10) * 10, 100, 100]));
    // Object interior columns 12…19 → red 120…190, median 155; within 30 of it: 130…180, columns 13…18.
    const c = regionCoherence(ramp, layout, [0, 1], 30);
    expect(c.objects).toEqual({ coherent: 6 * W, pixels: 8 * W });
  });

  it('treats separate patches of one class as separate regions', () => {
    const twoObjects = Uint8Array.from({ length: W * W }, (_, i) => (i % W < 6 ? 3 : i % W < 14 ? 0 : 3));
    const rgb = picture((x) => (x < 6 ? [250, 0, 0] : x < 14 ? [0, 0, 0] : [0, 0, 250]));
    const c = regionCoherence(rgb, twoObjects, [0, 1]);
    expect(share(c.objects)).toBe(1);
  });

  it('has no share where nothing was counted, and rejects a layout of the wrong size', () => {
    expect(share({ coherent: 0, pixels: 0 })).toBeUndefined();
    expect(() => regionCoherence(picture(() => [0, 0, 0]), new Uint8Array(10), [0])).toThrow(/layout has 10 values/);
  });
});

describe('interiorMask and connectedRegions', () => {
  it('marks pixels within the border of another class', () => {
    const m = interiorMask(Uint8Array.from([0, 0, 0, 1, 1, 1]), 6, 1, 1);
    expect(Array.from(m)).toEqual([1, 1, 0, 0, 1, 1]);
  });

  it('labels 4-connected patches', () => {
    // 0 1 0
    // 0 1 0
    expect(Array.from(connectedRegions(Uint8Array.from([0, 1, 0, 0, 1, 0]), 3, 2))).toEqual([0, 1, 2, 0, 1, 2]);
  });
});

describe('foldObjects', () => {
  it('folds every object class into one id and keeps the background classes', () => {
    expect(Array.from(foldObjects(Uint8Array.from([0, 1, 2, 3, 5]), [0, 1]))).toEqual([0, 1, 255, 255, 255]);
  });

  it('makes a blob of patches of different kinds one region, scored as one', () => {
    // Left half read as a cube in red, right half as a cone in blue: per kind each patch is coherent.
    const kinds = Uint8Array.from({ length: W * W }, (_, i) => (i % W < 10 ? 3 : 5));
    const rgb = picture((x) => (x < 10 ? [250, 0, 0] : [0, 0, 250]));
    expect(share(regionCoherence(rgb, kinds, [0, 1]).objects)).toBe(1);
    expect(share(regionCoherence(rgb, foldObjects(kinds, [0, 1]), [0, 1]).objects)).toBeLessThanOrEqual(0.5);
  });
});
