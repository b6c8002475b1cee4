/**
 * What a painting of objects must be for 4M-21 to read it (shared by the host's readSamPainting and
 * the editor's object brush): the box of an object, and what cannot go in.
 */
import { describe, expect, it } from 'vitest';
import { SAM_CONDITION_MAX_OBJECTS, samMaskBox, samMaskProblem, type SamMaskInput } from '../../../../preload/contract/sam-painting';

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
  });

  it('4M\'s WordPiece file fits 12 painted objects in sam_instance (checked against the host\'s count in official-sequence.test.ts)', () => {
    expect(SAM_CONDITION_MAX_OBJECTS).toBe(12);
  });
});
