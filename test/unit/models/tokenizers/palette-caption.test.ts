import { describe, expect, it } from 'vitest';
import {
  captionIds,
  parseColorPalette,
  readSpecialIds,
  serializeColorPalette,
} from '../../../../models/tokenizers/sequence';
import { loadFixtureTokenizer } from './tokenizer-fixture';

describe('color_palette', () => {
  it('serializes n then RGB triples', () => {
    expect(serializeColorPalette([[255, 0, 12.5], [10, 20, 300]], { coordBins: 1000 })).toBe(
      'v1=2 v0=255 v0=0 v0=12 v0=10 v0=20 v0=255',
    );
  });

  it('refuses palettes the vocabulary cannot express', () => {
    expect(() => serializeColorPalette([[1, 2, 3]], { coordBins: 64 })).toThrow(/256/);
    expect(() => serializeColorPalette([], { coordBins: 256 })).toThrow(/1…7/);
    expect(() => serializeColorPalette(new Array(8).fill([0, 0, 0]), { coordBins: 256 })).toThrow(/got 8/);
  });

  it('parses back, dropping incomplete triples and extra colours', () => {
    expect(parseColorPalette('[S_1] v1=2 v0=255 v0=0 v0=12 v0=10 v0=20 v0=999 [EOS]')).toEqual({
      colors: [[255, 0, 12], [10, 20, 255]],
      declaredCount: 2,
      dropped: [],
    });
    const messy = parseColorPalette('v1=1 v0=1 v0=2 v0=3 v0=4 v0=5 v0=6 v0=7 cat');
    expect(messy.colors).toEqual([[1, 2, 3]]);
    expect(messy.dropped.map((d) => d.reason)).toEqual([
      'not a v0=<channel> token',
      'incomplete RGB triple',
      'more colours than the declared 1',
    ]);
    expect(parseColorPalette('v1=9 v0=1 v0=2 v0=3').declaredCount).toBeUndefined();
  });
});

describe('caption', () => {
  it('appends [EOS] looked up from the vocabulary and truncates to the max length', () => {
    const tok = loadFixtureTokenizer();
    const special = readSpecialIds(tok);
    const ids = Array.from(captionIds(tok, 'A cat and a dog', special));
    expect(ids.at(-1)).toBe(tok.tokenToId('[EOS]'));
    expect(tok.decode(ids)).toBe('a cat and a dog [EOS]');
    expect(Array.from(captionIds(tok, 'a cat and a dog', special, 3))).toEqual([
      tok.requireId('a'),
      tok.requireId('cat'),
      special.eos,
    ]);
  });
});
