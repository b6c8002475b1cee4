import { describe, expect, it } from 'vitest';
import { cfgCombine, combineGuidance, fullImageInput, guidanceStates, multiCfgCombine, emptyImageTarget } from '../../../../models/sampling';

const f = (xs: number[]) => Float32Array.from(xs);

describe('classifier-free guidance maths', () => {
  it('single: l_u + s (l_c − l_u)', () => {
    expect(Array.from(cfgCombine(f([1, 2]), f([0, 4]), 3))).toEqual([3, -2]);
    expect(Array.from(cfgCombine(f([1, 2]), f([0, 4]), 1))).toEqual([1, 2]);
    expect(Array.from(cfgCombine(f([1, 2]), f([0, 4]), 0))).toEqual([0, 4]);
  });

  it('multi: l_u + Σ w_i (l_ci − l_u), negative and weak weights', () => {
    const out = multiCfgCombine([f([2, 0]), f([1, 1])], f([1, 2]), [0.5, -2]);
    // [1 + 0.5·1 − 2·0, 2 + 0.5·(−2) − 2·(−1)]
    expect(Array.from(out)).toEqual([1.5, 3]);
  });

  it('builds [cond…, uncond] states; each multi pass keeps only its own condition', () => {
    const state = { a: fullImageInput([1]), b: fullImageInput([2]), t: emptyImageTarget(2) };
    const single = guidanceStates(state, { kind: 'single', scale: 2, conditions: ['a', 'b'] }, undefined);
    expect(single[0]).toBe(state);
    expect(single[1]!.a!.inputMask[0]).toBe(1);
    const multi = guidanceStates(
      state,
      { kind: 'multi', weights: [{ condition: 'a', weight: 1 }, { condition: 'b', weight: 2 }] },
      undefined,
    );
    expect(multi.map((s) => [s.a!.inputMask[0], s.b!.inputMask[0]])).toEqual([[0, 1], [1, 0], [1, 1]]);
    expect(multi.every((s) => s.t === state.t)).toBe(true);
  });

  it('combineGuidance follows the batch order', () => {
    const g = { kind: 'multi' as const, weights: [{ condition: 'a', weight: 2 }] };
    expect(Array.from(combineGuidance(g, [f([3]), f([1])]))).toEqual([5]);
    expect(() => combineGuidance(g, [f([3])])).toThrow();
  });
});
