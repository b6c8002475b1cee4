import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WordPieceTokenizer } from '../../../../models/tokenizers/text';

/** The small 4M-layout tokenizer built by models/tokenizers/text/parity/make_fixture.py (B = 64). */
export function loadFixtureTokenizer(): WordPieceTokenizer {
  const path = fileURLToPath(new URL('../../../fixtures/tokenizers/wordpiece-4m-small.tokenizer.json', import.meta.url));
  return WordPieceTokenizer.fromJson(JSON.parse(readFileSync(path, 'utf8')), path);
}

export const FIXTURE_COORD_BINS = 64;
