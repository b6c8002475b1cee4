/**
 * 4M's official WordPiece file (text_tokenizer_4m_wordpiece_30k.json from github.com/apple/ml-4m,
 * Hugging Face tokenizers format) read by our WordPieceTokenizer must give the ids and decodes Python
 * `tokenizers` gives (fixture: models/recipe/fourm_recipe/official/wordpiece_parity.py). The official
 * file is not committed: point FOURM_WORDPIECE_JSON at it to run this test; its SHA-256 is checked.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WordPieceTokenizer } from '../../../../models/tokenizers/text';

interface Case {
  text: string;
  ids: number[];
  decoded: string;
  decodedSkipSpecial: string;
}
interface Fixture {
  meta: { sha256: string; vocabSize: number };
  cases: Case[];
  decodes: Array<{ ids: number[]; decoded: string; decodedSkipSpecial: string }>;
}

const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../../../fixtures/tokenizers/official-wordpiece-parity.json', import.meta.url)), 'utf8')) as Fixture;
const file = process.env.FOURM_WORDPIECE_JSON;
const present = file !== undefined && existsSync(file);

describe.skipIf(!present)("4M's official WordPiece file against Python tokenizers", () => {
  const raw = present ? readFileSync(file as string) : Buffer.alloc(0);
  const tokenizer = present ? WordPieceTokenizer.fromJson(JSON.parse(raw.toString('utf8')), file) : undefined;

  it('is the file the fixture was made from', () => {
    expect(createHash('sha256').update(raw).digest('hex')).toBe(fixture.meta.sha256);
    expect(tokenizer?.vocabSize).toBe(fixture.meta.vocabSize);
  });

  it(`encodes and decodes all ${fixture.cases.length} texts identically`, () => {
    const t = tokenizer as WordPieceTokenizer;
    const wrong = fixture.cases.filter((c) => {
      const ids = Array.from(t.encode(c.text));
      return JSON.stringify(ids) !== JSON.stringify(c.ids) || t.decode(ids) !== c.decoded || t.decode(ids, { skipSpecial: true }) !== c.decodedSkipSpecial;
    });
    expect(wrong.map((c) => c.text)).toEqual([]);
  });

  it('decodes arbitrary id lists identically', () => {
    const t = tokenizer as WordPieceTokenizer;
    for (const d of fixture.decodes) {
      expect(t.decode(d.ids)).toBe(d.decoded);
      expect(t.decode(d.ids, { skipSpecial: true })).toBe(d.decodedSkipSpecial);
    }
  });
});
