import { describe, expect, it } from 'vitest';
import { createRng, sampleToken, SamplingScratch, softmax } from '../../../../models/core';

const settings = (temperature: number, topK = 0, topP = 0) => ({ temperature, topK, topP });

describe('sampleToken', () => {
  it('is greedy with probability 1 when |temperature| < 1e-10', () => {
    const logits = Float32Array.from([0.1, 2, 1.9]);
    const s = sampleToken(logits, 0, settings(0), createRng(1), new SamplingScratch(3));
    expect(s).toEqual({ token: 1, prob: 1 });
  });

  it('reads the row at the offset and leaves the input untouched', () => {
    const logits = Float32Array.from([9, 0, 0, 0, 0, 9]);
    const s = sampleToken(logits, 3, settings(0), createRng(1), new SamplingScratch(3));
    expect(s.token).toBe(2);
    expect(Array.from(logits)).toEqual([9, 0, 0, 0, 0, 9]);
  });

  it('returns softmax(filtered / T)[token] as the probability', () => {
    const logits = Float32Array.from([1, 2, 3, 4]);
    const s = sampleToken(logits, 0, settings(2, 2), createRng(4), new SamplingScratch(4));
    const p = softmax(Float32Array.from([3, 4]), 2);
    expect([2, 3]).toContain(s.token);
    expect(s.prob).toBeCloseTo(p[s.token - 2] as number, 6);
  });

  it('filters before temperature: a hot sample never leaves the nucleus', () => {
    // p = [0.6, 0.3, 0.05, 0.05]; top_p 0.7 keeps 2 tokens; T = 50 flattens only within them.
    const logits = Float32Array.from([0.6, 0.3, 0.05, 0.05].map(Math.log));
    const rng = createRng(9);
    const scratch = new SamplingScratch(4);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 2000; i++) counts[sampleToken(logits, 0, settings(50, 0, 0.7), rng, scratch).token]! += 1;
    expect(counts[2]).toBe(0);
    expect(counts[3]).toBe(0);
    expect(Math.abs((counts[0] as number) - (counts[1] as number))).toBeLessThan(200);
  });

  it('draws with the softmax frequencies and is deterministic per seed', () => {
    const logits = Float32Array.from([0, Math.log(3)]);
    const run = (seed: number) => {
      const rng = createRng(seed);
      const scratch = new SamplingScratch(2);
      return Array.from({ length: 4000 }, () => sampleToken(logits, 0, settings(1), rng, scratch).token);
    };
    const a = run(5);
    expect(a).toEqual(run(5));
    expect(a).not.toEqual(run(6));
    const ones = a.filter((t) => t === 1).length / a.length;
    expect(ones).toBeGreaterThan(0.72);
    expect(ones).toBeLessThan(0.78);
  });
});
