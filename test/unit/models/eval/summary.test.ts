import { describe, expect, it } from 'vitest';
import { describe as stats, mergeScores, summarize } from '../../../../models/eval/summary';

describe('summary', () => {
  it('gives mean and standard error of the mean', () => {
    const s = stats([1, 2, 3, 4]);
    // sample variance 5/3 → s.e. √(5/3 / 4).
    expect(s).toEqual({ mean: 2.5, stdErr: Math.sqrt(5 / 12), count: 4 });
    expect(stats([7])).toEqual({ mean: 7, stdErr: 0, count: 1 });
    expect(() => stats([])).toThrow(RangeError);
  });

  it('merges per-scene scores (several values per scene allowed) and skips empty metrics', () => {
    const all = mergeScores(mergeScores({}, { rgb2sem: [0.5], cap2rgb_hit: [1, 0] }), { rgb2sem: [0.7], cap2rgb_hit: [1] });
    expect(all).toEqual({ rgb2sem: [0.5, 0.7], cap2rgb_hit: [1, 0, 1] });
    const s = summarize({ ...all, rgb2cap_recall: [] });
    expect(s.rgb2sem?.mean).toBeCloseTo(0.6, 12);
    expect(s.cap2rgb_hit).toMatchObject({ mean: 2 / 3, count: 3 });
    expect(s.rgb2cap_recall).toBeUndefined();
  });
});
