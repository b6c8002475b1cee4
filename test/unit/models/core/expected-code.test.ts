import { describe, expect, it } from 'vitest';
import { CodeLattice } from '../../../../models/core';

/** Logits whose softmax is `probs` (zeros stay at a very small probability). */
const logitsOf = (probs: readonly number[]): Float32Array => Float32Array.from(probs, (p) => Math.log(Math.max(p, 1e-12)));

describe('expected-code token choice (FSQ lattice)', () => {
  it('numbers ids as the recipe\'s FSQ does: the first level varies fastest', () => {
    const lattice = new CodeLattice([3, 2]);
    expect(lattice.vocabSize).toBe(6);
    expect(lattice.idOf([2, 0])).toBe(2);
    expect(lattice.idOf([0, 1])).toBe(3);
    expect(lattice.idOf([2, 1])).toBe(5);
    expect(lattice.idOf([7, -3])).toBe(2); // clamped into the lattice
  });

  it('picks the code between two likely neighbours, where argmax picks one of them', () => {
    const lattice = new CodeLattice([5]);
    const scratch = new Float32Array(5);
    const t = lattice.expectedToken(logitsOf([0, 0.45, 0.1, 0.45, 0]), 0, scratch);
    expect(t.token).toBe(2);
    expect(t.prob).toBeCloseTo(0.1, 5);
  });

  it('rounds each coordinate of the expected code on its own, at any row offset', () => {
    const lattice = new CodeLattice([4, 3]);
    // Row 1 puts 0.7 on digits (3, 0) and 0.3 on (0, 2): expected (2.1, 0.6) → (2, 1) = id 6.
    const probs = new Array(12).fill(0);
    probs[lattice.idOf([3, 0])] = 0.7;
    probs[lattice.idOf([0, 2])] = 0.3;
    const logits = new Float32Array(24);
    logits.set(logitsOf(probs), 12);
    expect(lattice.expectedToken(logits, 12, new Float32Array(12)).token).toBe(lattice.idOf([2, 1]));
  });

  it('gives the argmax when the model is sure', () => {
    const lattice = new CodeLattice([8, 6, 5, 5, 5]);
    const logits = new Float32Array(6000);
    logits[4321] = 40;
    expect(lattice.expectedToken(logits, 0, new Float32Array(6000)).token).toBe(4321);
  });

  it('refuses levels that are not a lattice', () => {
    expect(() => new CodeLattice([])).toThrow(RangeError);
    expect(() => new CodeLattice([8, 1])).toThrow(/≥ 2/);
    expect(() => new CodeLattice([2.5])).toThrow(RangeError);
  });
});
