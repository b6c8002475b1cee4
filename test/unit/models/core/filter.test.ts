import { describe, expect, it } from 'vitest';
import { applyTopK, applyTopP, createRng, kthLargest, resolveTopK } from '../../../../models/core';

/** Sort-based restatement of the reference nucleus rule, for cross-checking. */
function naiveTopPKeep(row: Float32Array, p: number): Set<number> {
  const idx = Array.from(row, (_, i) => i).sort((a, b) => (row[b] as number) - (row[a] as number) || a - b);
  const m = Math.max(...row);
  const z = Array.from(row).reduce((s, v) => s + Math.exp(v - m), 0);
  const keep = new Set<number>();
  let cum = 0;
  idx.forEach((i, rank) => {
    const removeShifted = rank > 0 && cum > p; // cum here = mass of tokens before i
    if (!removeShifted) keep.add(i);
    cum += Math.exp((row[i] as number) - m) / z;
  });
  return keep;
}

function kept(row: Float32Array): number[] {
  return Array.from(row, (v, i) => (v === -Infinity ? -1 : i)).filter((i) => i >= 0);
}

describe('top-k', () => {
  it('reads integers as counts and fractions of the vocabulary', () => {
    expect(resolveTopK(0, 100)).toBe(0);
    expect(resolveTopK(5, 100)).toBe(5);
    expect(resolveTopK(0.25, 100)).toBe(25);
    expect(resolveTopK(0.001, 100)).toBe(0);
    expect(resolveTopK(500, 100)).toBe(100);
  });

  it('keeps the k largest and ties with the k-th', () => {
    const row = Float32Array.from([1, 5, 3, 3, 0, 4]);
    applyTopK(row, 3, new Float32Array(6));
    expect(kept(row)).toEqual([1, 2, 3, 5]);
  });

  it('kthLargest agrees with a sort on random rows', () => {
    const rng = createRng(11);
    for (let t = 0; t < 50; t++) {
      const row = Float32Array.from({ length: 37 }, () => Math.floor(rng.nextFloat() * 20));
      const sorted = Array.from(row).sort((a, b) => b - a);
      const k = 1 + rng.nextInt(37);
      expect(kthLargest(row, k, new Float32Array(37))).toBe(sorted[k - 1]);
    }
  });
});

describe('top-p', () => {
  it('keeps the first token crossing the threshold (shift-right rule)', () => {
    const row = Float32Array.from([0.5, 0.3, 0.15, 0.05].map(Math.log));
    applyTopP(row, 0.7, new Int32Array(4), new Uint8Array(4), new Float64Array(4));
    expect(kept(row)).toEqual([0, 1]);
  });

  it('always keeps the top-1', () => {
    const row = Float32Array.from([0.1, 0.9].map(Math.log));
    applyTopP(row, 0.05, new Int32Array(2), new Uint8Array(2), new Float64Array(2));
    expect(kept(row)).toEqual([1]);
  });

  it('is off for 0 and 1', () => {
    const row = Float32Array.from([1, 2, 3]);
    applyTopP(row, 0, new Int32Array(3), new Uint8Array(3), new Float64Array(3));
    applyTopP(row, 1, new Int32Array(3), new Uint8Array(3), new Float64Array(3));
    expect(kept(row)).toEqual([0, 1, 2]);
  });

  it('matches the sort-based rule on random rows', () => {
    const rng = createRng(12);
    for (let t = 0; t < 60; t++) {
      const n = [5, 64, 300, 2000][t % 4] as number;
      // Coarse values make many ties; spread varies from flat to peaked.
      const spread = [0.5, 4, 12][t % 3] as number;
      const row = Float32Array.from({ length: n }, () => Math.round(spread * rng.nextFloat() * 8) / 8);
      const p = 0.1 + 0.85 * rng.nextFloat();
      const expected = naiveTopPKeep(row, p);
      applyTopP(row, p, new Int32Array(n), new Uint8Array(n), new Float64Array(n));
      expect(new Set(kept(row))).toEqual(expected);
    }
  });
});
