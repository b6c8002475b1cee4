import { describe, expect, it, test } from 'vitest';
import { cellEdge, featherMask, snapMaskToTokens, tokenAtPixel, tokenMaskOutline, tokensToPixelMask } from '../../../../renderer/src/tools/regionMask';

describe('region mask snapping', () => {
  const grid = { width: 128, height: 128, cols: 16, rows: 16 };

  it('selects a token at or above the coverage threshold', () => {
    const px = new Uint8Array(128 * 128);
    // Half of token (0,0): 8×4 of its 8×8 pixels.
    for (let y = 0; y < 4; y++) px.fill(255, y * 128, y * 128 + 8);
    expect(snapMaskToTokens(px, grid, 0.5)[0]).toBe(1);
    expect(snapMaskToTokens(px, grid, 0.51)[0]).toBe(0);
    expect(snapMaskToTokens(px, grid, 0)[1]).toBe(0); // threshold 0 = any painted pixel, not all tokens
    expect(snapMaskToTokens(px, grid, 0)[0]).toBe(1);
  });

  it('tiles odd sizes exactly', () => {
    const odd = { width: 37, height: 23, cols: 5, rows: 3 };
    const widths = Array.from({ length: 5 }, (_, c) => cellEdge(c + 1, 37, 5) - cellEdge(c, 37, 5));
    expect(widths.reduce((s, w) => s + w, 0)).toBe(37);
    expect(Math.max(...widths) - Math.min(...widths)).toBeLessThanOrEqual(1);
    const all = snapMaskToTokens(new Uint8Array(37 * 23).fill(255), odd, 1);
    expect(all.every((v) => v === 1)).toBe(true);
    const back = tokensToPixelMask(all, odd);
    expect(back.every((v) => v === 255)).toBe(true);
    // Last pixel belongs to the last cell.
    expect(tokenAtPixel(odd, 36, 22)).toEqual({ col: 4, row: 2 });
    expect(tokenAtPixel(odd, 37, 0)).toBeNull();
  });

  it('tokenAtPixel agrees with the cell edges everywhere', () => {
    const odd = { width: 37, height: 11, cols: 5, rows: 3 };
    for (let x = 0; x < 37; x++) {
      const t = tokenAtPixel(odd, x, 0);
      expect(t && cellEdge(t.col, 37, 5) <= x && x < cellEdge(t.col + 1, 37, 5)).toBe(true);
    }
  });

  it('pixels → tokens → pixels → tokens is stable', () => {
    const px = new Uint8Array(128 * 128);
    for (let i = 0; i < px.length; i += 7) px[i] = 255;
    const t1 = snapMaskToTokens(px, grid, 0.1);
    const t2 = snapMaskToTokens(tokensToPixelMask(t1, grid), grid, 0.1);
    expect(t2).toEqual(t1);
  });

  it('rejects wrong sizes', () => {
    expect(() => snapMaskToTokens(new Uint8Array(10), grid, 0.5)).toThrow(/expected 16384 pixels/);
    expect(() => snapMaskToTokens(new Uint8Array(4), { width: 2, height: 2, cols: 4, rows: 1 }, 0.5)).toThrow(RangeError);
  });

  it('outlines the selection boundary', () => {
    const g = { width: 4, height: 4, cols: 2, rows: 2 };
    expect(tokenMaskOutline(Uint8Array.of(1, 0, 0, 0), g)).toEqual([
      { x0: 0, y0: 0, x1: 2, y1: 0 },
      { x0: 0, y0: 2, x1: 2, y1: 2 },
      { x0: 0, y0: 0, x1: 0, y1: 2 },
      { x0: 2, y0: 0, x1: 2, y1: 2 },
    ]);
    // Two adjacent cells share no inner edge: 6 segments.
    expect(tokenMaskOutline(Uint8Array.of(1, 1, 0, 0), g)).toHaveLength(6);
    expect(tokenMaskOutline(new Uint8Array(4), g)).toEqual([]);
  });
});

describe('featherMask', () => {
  test('ramps across the seam; far inside and far outside stay exact', () => {
    const w = 32;
    const mask = new Uint8Array(w * 4);
    for (let y = 0; y < 4; y++) mask.fill(255, y * w + 16, y * w + 32); // right half selected
    const a = featherMask(mask, w, 4, 2);
    const row = Array.from(a.subarray(0, w));
    expect(row[0]).toBe(0);
    expect(row[8]).toBe(0);
    expect(row[31]).toBe(1);
    expect(row[24]).toBe(1);
    expect(row[15]).toBeGreaterThan(0);
    expect(row[16]).toBeLessThan(1);
    for (let i = 1; i < w; i++) expect(row[i]).toBeGreaterThanOrEqual(row[i - 1]!);
  });
});
