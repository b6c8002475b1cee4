import { describe, expect, it } from 'vitest';
import { classBorderBand, meanIoU, meanIoUBorderVoid } from '../../../../../models/eval/metrics';

/** Rows of digits → a row-major class map. */
const layout = (...rows: string[]) => Uint8Array.from(rows.join(''), (ch) => Number(ch));
const rowsOf = (band: Uint8Array, width: number) => Array.from({ length: band.length / width }, (_, y) => Array.from(band.subarray(y * width, (y + 1) * width)).join(''));

describe('classBorderBand', () => {
  it('marks nothing in a one-class picture (the image edge is not a border)', () => {
    expect(rowsOf(classBorderBand(layout('000', '000', '000'), 3, 3), 3)).toEqual(['000', '000', '000']);
  });

  it('marks both sides of a straight border, one pixel deep', () => {
    const truth = layout('000111', '000111', '000111');
    expect(rowsOf(classBorderBand(truth, 6, 3), 6)).toEqual(['001100', '001100', '001100']);
  });

  it('uses the 8-neighbourhood: diagonal neighbours of a lone pixel are in the band', () => {
    const truth = layout('00000', '00000', '00100', '00000', '00000');
    expect(rowsOf(classBorderBand(truth, 5, 5), 5)).toEqual(['00000', '01110', '01110', '01110', '00000']);
  });

  it('reaches radius px (Chebyshev) with a wider band', () => {
    const truth = layout('00000', '00000', '00100', '00000', '00000');
    expect(rowsOf(classBorderBand(truth, 5, 5, 2), 5)).toEqual(['11111', '11111', '11111', '11111', '11111']);
    expect(rowsOf(classBorderBand(truth, 5, 5, 0), 5)).toEqual(['00000', '00000', '00000', '00000', '00000']);
  });

  it('treats a region touching the image edge like one inside it', () => {
    // Class 1 fills the left column; only the border with class 0 is marked, not the image edge.
    const truth = layout('100', '100', '100');
    expect(rowsOf(classBorderBand(truth, 3, 3), 3)).toEqual(['110', '110', '110']);
  });

  it('marks every pixel of a checkerboard (all border)', () => {
    expect(Array.from(classBorderBand(layout('01', '10'), 2, 2))).toEqual([1, 1, 1, 1]);
  });

  it('handles non-square layouts', () => {
    expect(rowsOf(classBorderBand(layout('0011'), 4, 1), 4)).toEqual(['0110']);
    expect(rowsOf(classBorderBand(layout('0', '0', '2'), 1, 3), 1)).toEqual(['0', '1', '1']);
  });

  it('rejects a size that does not match the layout, and a bad radius', () => {
    expect(() => classBorderBand(layout('000'), 2, 2)).toThrow(/3 values, 2×2 needs 4/);
    expect(() => classBorderBand(layout('0'), 0, 1)).toThrow(RangeError);
    expect(() => classBorderBand(layout('0'), 1, 1, -1)).toThrow(/radius/);
  });
});

describe('meanIoUBorderVoid', () => {
  it('forgives a prediction that is off only inside the border strip', () => {
    const truth = layout('000111', '000111', '000111');
    // The prediction moves the border one pixel right: every miss lies in the band.
    const pred = layout('000011', '000011', '000011');
    expect(meanIoU(pred, truth, 2)).toBeCloseTo((9 / 12 + 6 / 9) / 2, 12);
    expect(meanIoUBorderVoid(pred, truth, 2, 6)).toBe(1);
  });

  it('still counts misses away from the border', () => {
    const truth = layout('000111', '000111', '000111');
    const pred = layout('100111', '000111', '000111');
    // Scored: columns 0, 1, 4, 5. Class 0: inter 5, union 6; class 1: inter 6, union 7.
    expect(meanIoUBorderVoid(pred, truth, 2, 6)).toBeCloseTo((5 / 6 + 6 / 7) / 2, 12);
  });

  it('equals the all-pixel mIoU on a one-class picture', () => {
    const truth = layout('000', '000', '000');
    const pred = layout('010', '000', '000');
    expect(meanIoUBorderVoid(pred, truth, 2, 3)).toBe(meanIoU(pred, truth, 2));
  });

  it('is NaN when every pixel is border (nothing to score)', () => {
    expect(meanIoUBorderVoid(layout('01', '10'), layout('01', '10'), 2, 2)).toBeNaN();
  });

  it('rejects a width that does not divide the layout', () => {
    expect(() => meanIoUBorderVoid(layout('000'), layout('000'), 2, 2)).toThrow(/not 2 px wide/);
  });
});

describe('meanIoU with unscored pixels', () => {
  it('leaves unscored pixels out of every class', () => {
    // Without the mask: class 0 inter 1 union 2, class 1 inter 1 union 2 → 0.5. Masking the miss → 1.
    expect(meanIoU([0, 1, 0, 1], [0, 1, 1, 1], 2, [0, 0, 1, 0])).toBe(1);
  });

  it('rejects a mask of another size', () => {
    expect(() => meanIoU([0, 1], [0, 1], 2, [0])).toThrow(/unscored mask has 1 values/);
  });
});
