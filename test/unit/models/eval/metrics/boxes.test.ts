import { describe, expect, it } from 'vitest';
import { boxClassShare, boxHits } from '../../../../../models/eval/metrics/boxes';

const size = 10;
/** Class 2 fills columns 0…4 of rows 0…4. */
const map = Uint8Array.from({ length: size * size }, (_, i) => (i % size < 5 && i < 5 * size ? 2 : 0));

describe('boxClassShare and boxHits', () => {
  it('measures the share of a box holding a class', () => {
    expect(boxClassShare(map, size, [0, 0, 0.5, 0.5], 2)).toBe(1);
    expect(boxClassShare(map, size, [0, 0, 1, 1], 2)).toBe(0.25);
    expect(boxClassShare(map, size, [0.5, 0.5, 1, 1], 2)).toBe(0);
  });

  it('calls a box held at 25 % of its pixels and names an unknown label', () => {
    const classes = ['sky', 'ground', 'sphere'];
    expect(boxHits(map, size, [{ box: [0, 0, 1, 1], label: 'sphere' }, { box: [0.5, 0, 1, 1], label: 'sphere' }], classes)).toEqual([true, false]);
    expect(() => boxHits(map, size, [{ box: [0, 0, 1, 1], label: 'torus' }], classes)).toThrow(/"torus" is not a class/);
  });
});
