import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WordPieceTokenizer } from '../../../../models/tokenizers/text';
import { COCO_PANOPTIC_CLASSES } from '../../../../models/engine/vq/coco-panoptic-classes';

/** The small 4M-layout tokenizer built by models/tokenizers/text/parity/make_fixture.py (B = 64). */
export function loadFixtureTokenizer(): WordPieceTokenizer {
  const path = fileURLToPath(new URL('../../../fixtures/tokenizers/wordpiece-4m-small.tokenizer.json', import.meta.url));
  return WordPieceTokenizer.fromJson(JSON.parse(readFileSync(path, 'utf8')), path);
}

export const FIXTURE_COORD_BINS = 64;

/**
 * The small fixture grown to the released file's sequence words (the coordinates v0…v3=0…999 and
 * COCO's 80 detection classes as special added tokens, as 4M's text_tokenizer_4m_wordpiece_30k.json
 * holds them), so boxes and palettes serialise as on a released model: a tokenizer JSON to write
 * into an official model folder. The class names are COCO's "things" (coco-panoptic-classes.ts).
 */
export function officialSequenceTokenizerJson(): Record<string, unknown> {
  const path = fileURLToPath(new URL('../../../fixtures/tokenizers/wordpiece-4m-small.tokenizer.json', import.meta.url));
  type Added = { id: number; content: string; single_word: boolean; lstrip: boolean; rstrip: boolean; normalized: boolean; special: boolean };
  const json = JSON.parse(readFileSync(path, 'utf8')) as { added_tokens: Added[] } & Record<string, unknown>;
  const added = json.added_tokens;
  const have = new Set(added.map((t) => t.content));
  let next = Math.max(...added.map((t) => t.id)) + 1;
  const add = (content: string, normalized: boolean): void => {
    if (have.has(content)) return;
    have.add(content);
    // Coordinates are whole words in the released file; class names may span two ("dining table").
    added.push({ id: next++, content, single_word: !normalized, lstrip: false, rstrip: false, normalized, special: true });
  };
  for (let axis = 0; axis < 4; axis++) for (let v = 0; v < 1000; v++) add(`v${axis}=${v}`, false);
  for (const name of COCO_PANOPTIC_CLASSES.slice(0, 80)) add(name, true);
  return json;
}
