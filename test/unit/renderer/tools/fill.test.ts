import { describe, expect, it } from 'vitest';
import { createPlane, writeRect } from '../../../../renderer/src/document/plane';
import { floodFill } from '../../../../renderer/src/tools/fill';

describe('floodFill', () => {
  it('fills a 4-connected class region and returns its bounds', () => {
    const p = createPlane(6, 6, 1, 0);
    // A wall of class 1 down column 3 splits the map.
    writeRect(p, { x: 3, y: 0, w: 1, h: 6 }, new Uint8Array(6).fill(1));
    const e = floodFill(p, 0, 0, [2]);
    expect(e?.rect).toEqual({ x: 0, y: 0, w: 3, h: 6 });
    expect(e?.after.every((v) => v === 2)).toBe(true);
  });

  it('does not leak through diagonal gaps', () => {
    const p = createPlane(3, 3, 1, 0);
    writeRect(p, { x: 0, y: 0, w: 3, h: 3 }, Uint8Array.of(0, 1, 0, 1, 0, 0, 0, 0, 0));
    const e = floodFill(p, 0, 0, [7]);
    expect(e?.rect).toEqual({ x: 0, y: 0, w: 1, h: 1 });
  });

  it('respects RGB tolerance', () => {
    const p = createPlane(4, 1, 3);
    writeRect(p, { x: 0, y: 0, w: 4, h: 1 }, Uint8Array.of(100, 100, 100, 105, 98, 100, 120, 100, 100, 100, 100, 100));
    expect(floodFill(p, 0, 0, [0, 0, 0], 0)?.rect.w).toBe(1);
    expect(floodFill(p, 0, 0, [0, 0, 0], 5)?.rect.w).toBe(2);
    expect(floodFill(p, 0, 0, [0, 0, 0], 20)?.rect.w).toBe(4);
  });

  it('is null outside the plane', () => {
    expect(floodFill(createPlane(2, 2, 1), 5, 0, [1])).toBeNull();
  });
});
