import { describe, expect, it } from 'vitest';
import { nearestVisibleFill, randomKeepMask } from '../../../../../models/eval/metrics/inpaint';

describe('nearestVisibleFill', () => {
  it('copies the nearest kept token into each hidden one, ties to the first in row-major order', () => {
    // 3×3 grid, keep the corners 0 (top-left) and 8 (bottom-right).
    const tokens = [10, 0, 0, 0, 0, 0, 0, 0, 90];
    const keep = [1, 0, 0, 0, 0, 0, 0, 0, 1];
    expect(nearestVisibleFill(tokens, keep, 3)).toEqual([10, 10, 10, 10, 10, 90, 10, 90, 90]);
  });

  it('keeps visible tokens and rejects a grid without any', () => {
    expect(nearestVisibleFill([1, 2, 3, 4], [1, 1, 1, 1], 2)).toEqual([1, 2, 3, 4]);
    expect(() => nearestVisibleFill([1, 2, 3, 4], [0, 0, 0, 0], 2)).toThrow(/no visible token/);
    expect(() => nearestVisibleFill([1, 2, 3], [0, 0, 1], 2)).toThrow(/expected 4/);
  });
});

describe('randomKeepMask', () => {
  it('keeps exactly the asked share, the same for a seed and different across seeds', () => {
    const a = randomKeepMask(256, 0.5, 7);
    expect(a.filter((v) => v === 1)).toHaveLength(128);
    expect(randomKeepMask(256, 0.5, 7)).toEqual(a);
    expect(randomKeepMask(256, 0.5, 8)).not.toEqual(a);
  });
});
