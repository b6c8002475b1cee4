/**
 * What a painting of objects is to 4M-21 (shared by the host's readSamPainting and CLI, the editor's
 * inspector and object brush): the box of an object, its separate parts, specks, and what cannot go in.
 */
import { describe, expect, it } from 'vitest';
import {
  SAM_CONDITION_MAX_OBJECTS, samInstancesFromObjects, samMaskBox, samMaskParts, samMaskProblem, samPaintedParts, samSpeckProblem, type SamMaskInput,
} from '../../../../preload/contract/sam-painting';

const S = 224;

function rect(x0: number, y0: number, x1: number, y1: number, size = S): SamMaskInput & { mask: Uint8Array } {
  const mask = new Uint8Array(size * size);
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) mask[y * size + x] = 1;
  return { width: size, height: size, mask };
}

describe('a painted object', () => {
  it('its box is the pixels\' inclusive extent, as the official polygon bounds', () => {
    expect(samMaskBox(rect(10, 20, 49, 29))).toEqual({ xmin: 10, ymin: 20, xmax: 49, ymax: 29 });
    expect(samMaskBox({ width: 4, height: 4, mask: new Uint8Array(16) })).toBeUndefined();
  });

  it('names what cannot go in: empty, a line, smaller than the training data\'s boxes (a speck), a wrong length', () => {
    expect(samMaskProblem({ width: S, height: S, mask: new Uint8Array(S * S) })).toBe('the mask is empty');
    expect(samMaskProblem(rect(10, 10, 60, 10))).toMatch(/a line \(51×1 px\)/);
    expect(samMaskProblem(rect(10, 10, 13, 13))).toMatch(/too small \(4×4 px; the model was never shown boxes under 26 px²\)/);
    // 6 × 5 between the outer pixels' centres is 30 px², over 0.0005 · 224²: read.
    expect(samMaskProblem(rect(10, 10, 16, 15))).toBeUndefined();
    expect(samMaskProblem(rect(10, 10, 15, 15))).toMatch(/too small \(6×6 px/);
    expect(samMaskProblem({ width: S, height: S, mask: new Uint8Array(10) })).toMatch(/10 mask values for a 224×224 picture/);
    // A speck is only a part's box: the same rule for a box alone.
    expect(samSpeckProblem({ xmin: 10, ymin: 10, xmax: 13, ymax: 13 }, S, S)).toBe(samMaskProblem(rect(10, 10, 13, 13)));
    expect(samSpeckProblem({ xmin: 10, ymin: 10, xmax: 16, ymax: 15 }, S, S)).toBeUndefined();
  });

  it('its parts are 8-connected: squares touching at a corner are one part, apart they are two (one instance each)', () => {
    const m = rect(10, 10, 19, 19);
    for (let y = 20; y <= 29; y++) for (let x = 20; x <= 29; x++) m.mask[y * S + x] = 1;
    expect(samMaskParts(m)).toHaveLength(1);
    expect(samMaskProblem(m)).toBeUndefined();
    for (let y = 10; y <= 29; y++) for (let x = 50; x <= 69; x++) m.mask[y * S + x] = 1;
    expect(samMaskParts(m).map(samMaskBox)).toEqual([{ xmin: 10, ymin: 10, xmax: 29, ymax: 29 }, { xmin: 50, ymin: 10, xmax: 69, ymax: 29 }]);
    expect(samMaskProblem(m)).toMatch(/^2 separate parts; an instance in 4M's data is one outline/);
  });

  it('objects → instances: each part one, specks left out with a note; an object none of whose parts can be one is refused, naming the largest', () => {
    const two = rect(10, 10, 59, 59);
    for (let y = 100; y <= 149; y++) for (let x = 100; x <= 179; x++) two.mask[y * S + x] = 1;
    for (let y = 10; y <= 11; y++) for (let x = 200; x <= 201; x++) two.mask[y * S + x] = 1;
    const read = samInstancesFromObjects([two, rect(120, 10, 159, 39)], ['red', 'blue']);
    expect(read.masks.map(samMaskBox)).toEqual([{ xmin: 10, ymin: 10, xmax: 59, ymax: 59 }, { xmin: 100, ymin: 100, xmax: 179, ymax: 149 }, { xmin: 120, ymin: 10, xmax: 159, ymax: 39 }]);
    expect(read.notes).toEqual([
      'red: 2 separate parts, read as 2 objects (an instance in 4M\'s data is one outline)',
      'red: left out a speck (2×2 px at x 200, y 10): 4M\'s data pipeline drops parts whose box is under 26 px²',
    ]);
    const a = rect(10, 10, 12, 12);
    for (let x = 50; x <= 53; x++) a.mask[50 * S + x] = 1;
    expect(() => samInstancesFromObjects([a], ['the object in #123456'])).toThrow('the object in #123456: none of its 2 separate parts can be an object; the largest: the object is too small (3×3 px');
    expect(() => samInstancesFromObjects([{ width: S, height: S, mask: new Uint8Array(S * S) }], ['instances[0]'])).toThrow('instances[0]: the mask is empty');
  });

  it('a painted plane\'s parts in one pass: colour, box and speck as samInstancesFromObjects splits them', () => {
    const W = 30;
    const data = new Uint8Array(W * W * 3);
    const paint = (x0: number, y0: number, x1: number, y1: number, rgb: number[]): void => {
      for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) data.set(rgb, (y * W + x) * 3);
    };
    paint(0, 0, 9, 9, [255, 0, 0]);
    paint(10, 10, 14, 14, [255, 0, 0]); // touches the first at a corner: the same part
    paint(20, 0, 29, 9, [255, 0, 0]);
    paint(25, 25, 25, 25, [0, 0, 255]);
    const parts = samPaintedParts({ data, channels: 3, width: W, height: W });
    expect(parts.map((p) => [p.colour.toString(16), p.box, p.speck === undefined])).toEqual([
      ['ff0000', { xmin: 0, ymin: 0, xmax: 14, ymax: 14 }, true],
      ['ff0000', { xmin: 20, ymin: 0, xmax: 29, ymax: 9 }, true],
      ['ff', { xmin: 25, ymin: 25, xmax: 25, ymax: 25 }, false],
    ]);
    expect(parts[2]?.speck).toMatch(/^the mask is a line \(1×1 px\)/);
  });

  it('4M\'s WordPiece file fits 12 painted objects (separate parts) in sam_instance (checked against the host\'s count in official-sequence.test.ts)', () => {
    expect(SAM_CONDITION_MAX_OBJECTS).toBe(12);
  });
});
