/**
 * models/sampling cannot import models/tokenizers (import rules), so both hold
 * sentinel helpers. This pins them to the same ids and the same results.
 */
import { describe, expect, it } from 'vitest';
import type { SequenceVocab } from '../../../../models/sampling';
import { customTextTarget, mergeSpans } from '../../../../models/sampling';
import type { SpecialIds } from '../../../../models/tokenizers/sequence';
import { buildCustomText, mergeSentinelSpans } from '../../../../models/tokenizers/sequence';

const special: SpecialIds = { pad: 0, eos: 3, sentinels: [4, 5, 6, 7] };
const vocab: SequenceVocab = special; // same shape: sentinels[k] = [S_k]

describe('sampling and tokenizer sentinel helpers agree', () => {
  it('custom_text', () => {
    const a = customTextTarget([20, 21, 5], vocab, 6);
    const b = buildCustomText([20, 21, 5], special, { targetLength: 6 });
    expect([a.tokens, a.inputMask, a.targetMask]).toEqual([b.ids, b.inputMask, b.targetMask]);
  });

  it('span merging', () => {
    const input = [20, 5, 21, 6];
    const output = [5, 30, 31, 6, 32, 3, 7];
    expect(mergeSpans(input, output, vocab)).toEqual(mergeSentinelSpans(input, output, special).ids);
  });
});
