import { describe, expect, it } from 'vitest';
import { absRel, delta1 } from '../../../../../models/eval/metrics';

describe('absRel', () => {
  it('is the mean relative error against the truth', () => {
    // |1.1 − 1|/1 = 0.1, |1 − 2|/2 = 0.5.
    expect(absRel([1.1, 1], [1, 2])).toBeCloseTo(0.3, 12);
  });

  it('is 0 for exact depth', () => {
    expect(absRel(Float32Array.of(0.5, 60), Float32Array.of(0.5, 60))).toBe(0);
  });
});

describe('delta1', () => {
  it('counts pixels within a factor 1.25 either way (strictly)', () => {
    // ratios: 1.2 (in), 1/0.8 = 1.25 (out: strict), 1.3 (out), 1 (in).
    expect(delta1([1.2, 0.8, 1, 5], [1, 1, 1.3, 5])).toBe(0.5);
  });
});
