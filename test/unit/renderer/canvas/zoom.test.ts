import { describe, expect, it } from 'vitest';
import { CRISP_SHARE, FIT_MARGIN, fitZoom, MIN_FIT } from '../../../../renderer/src/canvas/zoom';

const doc128 = { width: 128, height: 128 };
const doc224 = { width: 224, height: 224 };

describe('fitZoom: Fit fills the view', () => {
  it('takes the largest fractional zoom when the whole number below it would waste the room', () => {
    // A 128 px canvas in a view 270 px tall (a 1024 × 700 window): 1.9×, not 100 %.
    const z = fitZoom({ width: 700, height: 270 }, doc128);
    expect(z).toBeCloseTo((270 - FIT_MARGIN) / 128, 10);
    expect(z).toBeGreaterThan(1.9);
    // 2.86×: 200 % would leave nearly a third of the room.
    expect(fitZoom({ width: 900, height: 390 }, doc128)).toBeCloseTo((390 - FIT_MARGIN) / 128, 10);
  });

  it('takes the whole number when it keeps most of the size (every document pixel the same size)', () => {
    // 4.42× fits; 4× keeps 90 %.
    expect(fitZoom({ width: 960, height: 590 }, doc128)).toBe(4);
    expect(fitZoom({ width: 128 * 3 + FIT_MARGIN, height: 1000 }, doc128)).toBe(3); // exactly 3
    const largest = 2.2;
    expect(Math.floor(largest) / largest).toBeGreaterThanOrEqual(CRISP_SHARE);
    expect(fitZoom({ width: 224 * largest + FIT_MARGIN, height: 2000 }, doc224)).toBe(2);
  });

  it('counts device pixels: on a 2× screen, 2.5 is 5 device pixels per document pixel', () => {
    const view = { width: 224 * 2.53 + FIT_MARGIN, height: 2000 };
    expect(fitZoom(view, doc224, 1)).toBeCloseTo(2.53, 10); // 2 would keep 79 %
    expect(fitZoom(view, doc224, 2)).toBe(2.5);
    expect(fitZoom(view, doc224, 1.25)).toBeCloseTo(2.4, 10); // 3 device pixels each
  });

  it('the limiting side decides; a document larger than the view shrinks to fit, never below the minimum', () => {
    expect(fitZoom({ width: 300, height: 2000 }, { width: 448, height: 100 })).toBeCloseTo(276 / 448, 10);
    expect(fitZoom({ width: 30, height: 30 }, doc128)).toBe(MIN_FIT);
    expect(fitZoom({ width: 0, height: 0 }, doc128)).toBe(MIN_FIT);
  });

  it('odd input gives a usable zoom, not NaN', () => {
    expect(fitZoom({ width: 500, height: 500 }, { width: 0, height: 128 })).toBe(1);
    expect(fitZoom({ width: 500, height: 500 }, doc128, Number.NaN)).toBeCloseTo(476 / 128, 10); // read as a 1× screen
  });
});
