import { describe, expect, it } from 'vitest';
import {
  buildCustomText,
  buildEmptySequenceTarget,
  mergeSentinelSpans,
  nextUnusedSentinelId,
  readSpecialIds,
  sentinelsIn,
  splitBySentinel,
  type TokenLookup,
} from '../../../../models/tokenizers/sequence';
import { loadFixtureTokenizer } from './tokenizer-fixture';

const tok = loadFixtureTokenizer();
const special = readSpecialIds(tok);
const id = (t: string): number => tok.requireId(t);

describe('readSpecialIds', () => {
  it('looks ids up by token string', () => {
    expect(special.pad).toBe(id('[PAD]'));
    expect(special.eos).toBe(id('[EOS]'));
    expect(special.sentinels.length).toBe(20);
    expect(special.sentinels[1]).toBe(id('[S_1]'));
  });

  it('works with a shifted layout and names what is missing', () => {
    const shifted: TokenLookup = {
      tokenToId: (t) => ({ '[PAD]': 100, '[EOS]': 101, '[S_0]': 7, '[S_1]': 8, '[S_2]': 9 })[t],
      idToToken: () => undefined,
    };
    expect(readSpecialIds(shifted)).toEqual({ pad: 100, eos: 101, sentinels: [7, 8, 9] });
    const noEos: TokenLookup = { tokenToId: (t) => (t === '[EOS]' ? undefined : shifted.tokenToId(t)), idToToken: () => undefined };
    expect(() => readSpecialIds(noEos)).toThrow(/\[EOS\]/);
  });
});

describe('sequence targets', () => {
  it('builds the empty target [S_1] [S_1] [PAD]… [S_2]', () => {
    const t = buildEmptySequenceTarget(special, 5);
    expect(Array.from(t.ids)).toEqual([id('[S_1]'), id('[S_1]'), special.pad, special.pad, id('[S_2]')]);
    expect(Array.from(t.inputMask)).toEqual([0, 1, 1, 1, 1]);
    expect(Array.from(t.targetMask)).toEqual([1, 0, 0, 0, 0]);
    expect(buildEmptySequenceTarget(special, 1).ids.length).toBe(2);
  });

  it('builds custom_text: visible user ids with sentinels, then [S_1] [PAD]… [EOS]', () => {
    const user = tok.encode('a photo of [S_1] on a beach');
    const t = buildCustomText(user, special, { targetLength: 4 });
    expect(tok.decode(t.ids)).toBe('a photo of [S_1] on a beach [S_1] [PAD] [PAD] [EOS]');
    expect(Array.from(t.inputMask)).toEqual([...new Array<number>(user.length).fill(0), 1, 1, 1, 1]);
    expect(Array.from(t.targetMask)).toEqual([...new Array<number>(user.length).fill(1), 0, 0, 0, 0]);
    expect(sentinelsIn(user, special)).toEqual([1]);
  });

  it('picks the next unused sentinel as the stop id for multi-span infilling', () => {
    expect(nextUnusedSentinelId(tok.encode('[S_1] cat [S_2] dog'), special)).toBe(id('[S_3]'));
    expect(nextUnusedSentinelId(tok.encode('no sentinel'), special)).toBe(id('[S_1]'));
  });
});

describe('mergeSentinelSpans', () => {
  it('splices spans back by sentinel', () => {
    const input = tok.encode('a [S_1] sits on the [S_2] .');
    const output = tok.encode('[S_1] small dog [S_2] wooden bench [S_3]');
    const merged = mergeSentinelSpans(input, output, special);
    expect(tok.decode(merged.ids)).toBe('a small dog sits on the wooden bench.');
    expect(merged.unfilled).toEqual([]);
  });

  it('turns an empty-init generation into w1 … [EOS]', () => {
    const output = [id('[S_1]'), id('cat'), special.eos, id('[S_2]')];
    expect(Array.from(mergeSentinelSpans([id('[S_1]')], output, special).ids)).toEqual([id('cat'), special.eos]);
  });

  it('reports sentinels the output never filled and ignores tokens before the first sentinel', () => {
    const merged = mergeSentinelSpans(tok.encode('[S_1] and [S_2]'), tok.encode('cat [S_1] dog'), special);
    expect(tok.decode(merged.ids)).toBe('dog and');
    expect(merged.unfilled).toEqual([2]);
    expect(splitBySentinel(tok.encode('cat [S_1] dog [S_1] car'), special).get(1)).toEqual([id('dog')]);
  });
});
