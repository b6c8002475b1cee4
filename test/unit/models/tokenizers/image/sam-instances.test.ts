import { describe, expect, it } from 'vitest';
import {
  byAreaDescending,
  mergeSamCandidates,
  paintSamRender,
  renderSamInstances,
  resizeCubic,
  runLengths,
  samPalette,
  type SamMaskCandidate,
} from '../../../../../models/tokenizers/image/sam-instances';

const SIDE = 8;
/** A binary-ish mask: the given rows × cols block confident, the rest not. */
function mask(r0: number, r1: number, c0: number, c1: number, on = 0.99, off = 0.01): Float32Array {
  const m = new Float32Array(SIDE * SIDE).fill(off);
  for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) m[r * SIDE + c] = on;
  return m;
}

describe('SAM instance masks', () => {
  it('orders largest box first, stably', () => {
    const a = { box: { xmin: 0, ymin: 0, xmax: 10, ymax: 10 }, id: 'a' };
    const b = { box: { xmin: 0, ymin: 0, xmax: 20, ymax: 20 }, id: 'b' };
    const c = { box: { xmin: 5, ymin: 5, xmax: 15, ymax: 15 }, id: 'c' };
    expect(byAreaDescending([a, b, c]).map((x) => x.id)).toEqual(['b', 'a', 'c']);
  });

  it('drops low-contrast masks and merges confident duplicates with near boxes, averaging boxes (truncated) and masks', () => {
    const box = { xmin: 10, ymin: 10, xmax: 110, ymax: 110 };
    const cands: SamMaskCandidate[] = [
      { box, probs: mask(0, 8, 0, 4) },
      { box: { xmin: 11, ymin: 10, xmax: 111, ymax: 110 }, probs: mask(0, 8, 0, 4) }, // duplicate
      { box, probs: mask(0, 8, 4, 8) }, // same box, other half: Dice ≈ 0
      { box: { xmin: 60, ymin: 10, xmax: 160, ymax: 110 }, probs: mask(0, 8, 0, 4) }, // same mask, IoU 1/3
      { box, probs: mask(0, 8, 0, 4, 0.8, 0.2) }, // contrast 0.6 < 0.9: dropped
    ];
    const merged = mergeSamCandidates(cands);
    expect(merged.map((m) => m.members)).toEqual([2, 1, 1]);
    expect(merged[0]?.box).toEqual({ xmin: 10, ymin: 10, xmax: 110, ymax: 110 }); // 10.5 → 10, 110.5 → 110
    // Soft masks that are not confident do not merge even with themselves (official Dice on probabilities).
    const soft = new Float32Array(SIDE * SIDE).fill(0.5);
    soft[0] = 0.95;
    soft[1] = 0.02;
    expect(mergeSamCandidates([{ box, probs: soft }, { box, probs: soft }]).map((m) => m.members)).toEqual([1, 1]);
  });

  it('resizes with the cubic kernel: constants stay constant, identity size is the identity', () => {
    const src = Float32Array.from({ length: 16 }, (_, i) => i);
    expect(Array.from(resizeCubic(src, 4, 4, 4, 4))).toEqual(Array.from(src));
    const flat = resizeCubic(new Float32Array(16).fill(0.7), 4, 4, 9, 5);
    expect(flat.every((v) => Math.abs(v - 0.7) < 1e-6)).toBe(true);
    expect(() => resizeCubic(src, 3, 3, 2, 2)).toThrow(/16 values for 3×3/);
  });

  it('paints later instances over earlier ones, clips boxes to the picture, transparent elsewhere', () => {
    const big = { box: { xmin: 0, ymin: 0, xmax: 16, ymax: 16 }, probs: mask(0, 8, 0, 8), members: 1 };
    const small = { box: { xmin: 4, ymin: 4, xmax: 8, ymax: 8 }, probs: mask(0, 8, 0, 8), members: 1 };
    const outside = { box: { xmin: 30, ymin: 30, xmax: 40, ymax: 40 }, probs: mask(0, 8, 0, 8), members: 1 };
    const edge = { box: { xmin: 18, ymin: 0, xmax: 28, ymax: 4 }, probs: mask(0, 8, 0, 8), members: 1 };
    const r = renderSamInstances([big, small, outside, edge], SIDE, 20, 20);
    expect(r.index[0]).toBe(1);
    expect(r.index[5 * 20 + 5]).toBe(2);
    expect(r.index[19 * 20 + 19]).toBe(0);
    expect(r.index[0 * 20 + 19]).toBe(4);
    expect(r.index.includes(3)).toBe(false);
    const rgba = paintSamRender(r, 7);
    expect(rgba.data[19 * 20 * 4 + 19 * 4 + 3]).toBe(0);
    expect(rgba.data[3]).toBe(255);
    expect(Array.from(rgba.data.slice(0, 3))).toEqual(samPalette(4, 7)[0]);
  });

  it('a seeded palette: the same seed the same colours, neighbours distinct', () => {
    const p = samPalette(12, 3);
    expect(samPalette(12, 3)).toEqual(p);
    expect(samPalette(12, 4)).not.toEqual(p);
    for (let k = 1; k < p.length; k++) expect(p[k]).not.toEqual(p[k - 1]);
    for (const c of p) for (const v of c) expect(v >= 0 && v <= 255).toBe(true);
  });
});

describe('runLengths', () => {
  it('row-major runs starting with zeros', () => {
    expect(runLengths([0, 0, 1, 1, 1, 0])).toEqual([2, 3, 1]);
    expect(runLengths([1, 1, 0])).toEqual([0, 2, 1]);
    expect(runLengths([])).toEqual([0]);
  });
});
