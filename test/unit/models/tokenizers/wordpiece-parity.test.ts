import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WordPieceTokenizer } from '../../../../models/tokenizers/text';

const fixtures = fileURLToPath(new URL('../../../fixtures/tokenizers/', import.meta.url));
const tokenizer = WordPieceTokenizer.fromJson(
  JSON.parse(readFileSync(`${fixtures}wordpiece-4m-small.tokenizer.json`, 'utf8')),
  'wordpiece-4m-small.tokenizer.json',
);

interface ParityCase {
  text: string;
  ids: number[];
  decoded: string;
  decodedSkipSpecial: string;
}
interface ParityFile {
  meta: { vocabSize: number };
  cases: ParityCase[];
  decodes: Array<{ ids: number[]; decoded: string; decodedSkipSpecial: string }>;
}
const parity = JSON.parse(readFileSync(`${fixtures}wordpiece-parity.json`, 'utf8')) as ParityFile;

describe('WordPiece parity with Python tokenizers', () => {
  it('has the same vocabulary size', () => {
    expect(tokenizer.vocabSize).toBe(parity.meta.vocabSize);
  });

  it.each(parity.cases.map((c, i) => [i, JSON.stringify(c.text), c] as const))('case %i %s', (_i, _label, c) => {
    const ids = Array.from(tokenizer.encode(c.text));
    expect(ids).toEqual(c.ids);
    expect(tokenizer.decode(ids)).toBe(c.decoded);
    expect(tokenizer.decode(ids, { skipSpecial: true })).toBe(c.decodedSkipSpecial);
  });

  it('decodes arbitrary id lists the same way (unknown ids skipped)', () => {
    for (const d of parity.decodes) {
      expect(tokenizer.decode(d.ids)).toBe(d.decoded);
      expect(tokenizer.decode(d.ids, { skipSpecial: true })).toBe(d.decodedSkipSpecial);
    }
  });
});
