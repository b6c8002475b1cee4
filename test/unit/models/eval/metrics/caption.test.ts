import { describe, expect, it } from 'vitest';
import { kindRecall } from '../../../../../models/eval/metrics';

describe('kindRecall', () => {
  it('is the fraction of distinct kinds the text names', () => {
    expect(kindRecall('a red cube left of a blue cone', ['cube', 'cone', 'sphere', 'cube'])).toBeCloseTo(2 / 3, 12);
  });

  it('matches substrings, as the recipe does ("spheres" names a sphere)', () => {
    expect(kindRecall('two spheres', ['sphere'])).toBe(1);
  });

  it('is undefined for a scene without objects (left out of the mean)', () => {
    expect(kindRecall('an empty field', [])).toBeUndefined();
  });
});
