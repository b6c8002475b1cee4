import { describe, expect, it } from 'vitest';
import { isStructuralToken, sequenceWordsText } from '../../../../../models/engine/generate/sequence-words';

/** A vocabulary where coordinates are special added tokens, as in the shipped model's file. */
const vocab = ['[PAD]', '[SOS]', '[EOS]', '[S_0]', 'v0=12', 'v1=40', 'cube', 'red', '[UNK]'];
const text = {
  idToToken: (id: number) => vocab[id],
  decode: (ids: ArrayLike<number>) => Array.from(ids).map((id) => vocab[id]).join(' '),
};

describe('sequence ids to words', () => {
  it('drops structure and keeps coordinates and words', () => {
    expect(sequenceWordsText(text, [1, 3, 4, 5, 6, 7, 2, 0, 0])).toBe('v0=12 v1=40 cube red');
  });

  it('tells structure from special vocabulary', () => {
    for (const t of ['[PAD]', '[UNK]', '[SOS]', '[EOS]', '[S_0]', '[S_12]']) expect(isStructuralToken(t)).toBe(true);
    for (const t of ['v0=12', 'dog', '[MASK]', 'S_1']) expect(isStructuralToken(t)).toBe(false);
  });
});
