import { describe, expect, it } from 'vitest';
import { despeckle } from '../../../../../models/eval/metrics/despeckle';

describe('despeckle', () => {
  it('merges patches under the size into the class around them and keeps larger ones', () => {
    // 6×6 ground (1) with a 2×2 speck of cone (5) and a 3×6 band of sky (0) on top.
    const w = 6;
    const map = Uint8Array.from({ length: 36 }, (_, i) => (i < 18 ? 0 : 1));
    for (const i of [26, 27, 32, 33]) map[i] = 5;
    const out = despeckle(map, w, 6, 5);
    expect(Array.from(out)).toEqual(Array.from({ length: 36 }, (_, i) => (i < 18 ? 0 : 1)));
    expect(despeckle(map, w, 6, 4)[26]).toBe(5);
  });

  it('leaves a map without specks unchanged and checks its size', () => {
    const map = Uint8Array.from({ length: 16 }, (_, i) => (i < 8 ? 0 : 1));
    expect(Array.from(despeckle(map, 4, 4, 4))).toEqual(Array.from(map));
    expect(() => despeckle(map, 5, 4)).toThrow(/16 values for 5×4/);
  });
});
