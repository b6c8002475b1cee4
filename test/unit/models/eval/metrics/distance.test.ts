import { describe, expect, it } from 'vitest';
import { frechetDistance, gaussianOf, symmetricEigen } from '../../../../../models/eval/metrics/distance';

/** Deterministic pseudo-normal samples (Box–Muller on a fixed LCG). */
function samples(n: number, dim: number, shift: number, scale: number, seed: number): Float32Array[] {
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  return Array.from({ length: n }, () => Float32Array.from({ length: dim }, () => shift + scale * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u())));
}

describe('gaussianOf', () => {
  it('gives the mean and the n − 1 covariance', () => {
    const g = gaussianOf([Float32Array.from([0, 0]), Float32Array.from([2, 4])]);
    expect(Array.from(g.mean)).toEqual([1, 2]);
    expect(Array.from(g.cov)).toEqual([2, 4, 4, 8]);
  });

  it('rejects fewer than two vectors and ragged ones', () => {
    expect(() => gaussianOf([Float32Array.from([1])])).toThrow(/at least 2/);
    expect(() => gaussianOf([Float32Array.from([1]), Float32Array.from([1, 2])])).toThrow(/differ in length/);
  });
});

describe('symmetricEigen', () => {
  it('finds the eigenvalues of a symmetric matrix', () => {
    const { values } = symmetricEigen([2, 1, 1, 2], 2);
    expect(Array.from(values).sort()).toEqual([expect.closeTo(1, 10), expect.closeTo(3, 10)]);
  });
});

describe('frechetDistance', () => {
  it('matches the closed form for diagonal Gaussians', () => {
    const a = { dim: 2, mean: Float64Array.from([0, 0]), cov: Float64Array.from([1, 0, 0, 4]) };
    const b = { dim: 2, mean: Float64Array.from([3, 4]), cov: Float64Array.from([4, 0, 0, 1]) };
    // |Δμ|² = 25; Σ (σa − σb)² = (1 − 2)² + (2 − 1)² = 2.
    expect(frechetDistance(a, b)).toBeCloseTo(27, 8);
    expect(frechetDistance(a, a)).toBeCloseTo(0, 8);
  });

  it('handles non-diagonal covariances (commuting case: (√λa − √λb)² per eigen direction)', () => {
    const a = { dim: 2, mean: Float64Array.from([0, 0]), cov: Float64Array.from([2, 1, 1, 2]) };
    const b = { dim: 2, mean: Float64Array.from([0, 0]), cov: Float64Array.from([8, 4, 4, 8]) };
    // Eigenvalues 3, 1 and 12, 4: (√12 − √3)² + (√4 − √1)² = 3 + 1.
    expect(frechetDistance(a, b)).toBeCloseTo(4, 8);
  });

  it('grows with the shift between sets and is small for two draws of one distribution', () => {
    const ref = gaussianOf(samples(400, 8, 0, 1, 1));
    const same = frechetDistance(gaussianOf(samples(50, 8, 0, 1, 2)), ref);
    const shifted = frechetDistance(gaussianOf(samples(50, 8, 1, 1, 3)), ref);
    expect(shifted).toBeGreaterThan(same + 5);
    expect(same).toBeLessThan(3);
  });
});
