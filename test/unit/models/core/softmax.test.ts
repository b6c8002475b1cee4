import { describe, expect, it } from 'vitest';
import { argmax, logSoftmaxInto, softmax } from '../../../../models/core';

describe('softmax', () => {
  it('normalises and matches the closed form', () => {
    const p = softmax(Float32Array.from([1, 2, 3]));
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    expect(p[0]).toBeCloseTo(Math.exp(1) / z, 6);
    expect(p[2]).toBeCloseTo(Math.exp(3) / z, 6);
  });

  it('is stable for huge logits and gives -Infinity zero mass', () => {
    const p = softmax(Float32Array.from([1000, 1000, -Infinity]));
    expect(Array.from(p)).toEqual([0.5, 0.5, 0]);
  });

  it('applies temperature as a divisor', () => {
    const hot = softmax(Float32Array.from([0, 1]), 100);
    const cold = softmax(Float32Array.from([0, 1]), 0.01);
    expect(hot[1]).toBeCloseTo(0.5, 2);
    expect(cold[1]).toBeCloseTo(1, 6);
  });

  it('log-softmax is log of softmax', () => {
    const row = Float32Array.from([0.3, -2, 5, 1]);
    const l = logSoftmaxInto(row, new Float32Array(4));
    const p = softmax(row);
    for (let i = 0; i < 4; i++) expect(l[i]).toBeCloseTo(Math.log(p[i] as number), 5);
  });

  it('argmax takes the lowest index on ties', () => {
    expect(argmax(Float32Array.from([1, 3, 3, 2]))).toBe(1);
  });
});
