import { describe, expect, it } from 'vitest';
import {
  customTextTarget,
  emptyImageTarget,
  emptySequenceTarget,
  fullImageInput,
  fullSequenceInput,
  inpaintImageTarget,
  pendingPositions,
  withoutConditions,
} from '../../../../models/sampling';
import { VOCAB } from './fake-model';

const S1 = 105;
const S2 = 106;

describe('state builders (4M mask convention: 1 = hidden / not a target)', () => {
  it('empty image target', () => {
    const m = emptyImageTarget(4);
    expect(Array.from(m.inputMask)).toEqual([1, 1, 1, 1]);
    expect(Array.from(m.targetMask)).toEqual([0, 0, 0, 0]);
  });

  it('empty sequence target: [S_1] [S_1] 0 … [S_2], encoder sees one [S_1]', () => {
    const m = emptySequenceTarget(5, VOCAB);
    expect(Array.from(m.tokens)).toEqual([S1, S1, 0, 0, S2]);
    expect(Array.from(m.inputMask)).toEqual([0, 1, 1, 1, 1]);
    expect(Array.from(m.targetMask)).toEqual([1, 0, 0, 0, 0]);
    expect(emptySequenceTarget(1, VOCAB).tokens).toHaveLength(2);
  });

  it('full inputs', () => {
    expect(Array.from(fullImageInput([3, 4]).targetMask)).toEqual([1, 1]);
    const s = fullSequenceInput([7, 8, 103, 100, 100], VOCAB);
    expect(Array.from(s.inputMask)).toEqual([0, 0, 0, 1, 1]);
    expect(Array.from(fullSequenceInput([7, 8], VOCAB).tokens)).toEqual([7, 8, 103]);
  });

  it('custom text: user part visible, target [S_1] [PAD]… [EOS]', () => {
    const m = customTextTarget([7, 8], VOCAB, 4);
    expect(Array.from(m.tokens)).toEqual([7, 8, S1, 100, 100, 103]);
    expect(Array.from(m.inputMask)).toEqual([0, 0, 1, 1, 1, 1]);
    expect(Array.from(m.targetMask)).toEqual([1, 1, 0, 0, 0, 0]);
  });

  it('inpainting: keep = visible input, the rest = targets', () => {
    const m = inpaintImageTarget([9, 9, 9, 9], [1, 0, 1, 0]);
    expect(Array.from(m.inputMask)).toEqual([0, 1, 0, 1]);
    expect(Array.from(pendingPositions(m))).toEqual([1, 3]);
    expect(() => inpaintImageTarget([1, 2], [1])).toThrow(RangeError);
  });

  it('unconditioning: image removed entirely, sequence becomes one visible [S_1]', () => {
    const state = { img: fullImageInput([1, 2, 3]), cap: fullSequenceInput([7, 8, 103], VOCAB), other: fullImageInput([5]) };
    const u = withoutConditions(state, ['img', 'cap'], VOCAB);
    expect(Array.from(u.img!.inputMask)).toEqual([1, 1, 1]);
    expect(Array.from(u.cap!.tokens)).toEqual([S1, S1, S2]);
    expect(Array.from(u.cap!.inputMask)).toEqual([0, 1, 1]);
    expect(u.other).toBe(state.other);
    expect(Array.from(state.img.inputMask)).toEqual([0, 0, 0]); // the original is untouched
  });
});
