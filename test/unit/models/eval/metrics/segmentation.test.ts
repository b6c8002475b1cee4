import { describe, expect, it } from 'vitest';
import { meanIoU, pixelAccuracy } from '../../../../../models/eval/metrics';

describe('meanIoU', () => {
  it('is 1 for identical maps', () => {
    expect(meanIoU([0, 1, 2, 2], [0, 1, 2, 2], 6)).toBe(1);
  });

  it('averages IoU over classes present in either map only', () => {
    // class 0: inter 1, union 2; class 1: inter 1, union 3; class 2: inter 0, union 1. Classes 3–5 absent.
    expect(meanIoU([0, 0, 1, 2], [0, 1, 1, 1], 6)).toBeCloseTo((1 / 2 + 1 / 3 + 0) / 3, 12);
  });

  it('ignores class ids at or above numClasses, as the recipe does', () => {
    // class 0: inter 1, union 2 (pred 0 at index 0, truth 0 at index 0 and 1).
    expect(meanIoU([0, 7], [0, 0], 6)).toBe(0.5);
  });

  it('rejects maps of different sizes', () => {
    expect(() => meanIoU([0, 1], [0], 6)).toThrow(RangeError);
  });
});

describe('pixelAccuracy', () => {
  it('is the fraction of equal pixels', () => {
    expect(pixelAccuracy(Uint8Array.of(1, 2, 3, 4), Uint8Array.of(1, 2, 0, 0))).toBe(0.5);
  });
});
