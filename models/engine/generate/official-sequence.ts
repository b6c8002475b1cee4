/**
 * Official 4M sequence outputs and inputs in words: the WordPiece ids of caption, det and
 * color_palette ↔ text, boxes and colours. Pure.
 *
 * 4M's WordPiece file flags every added token `special`: the structural ones ([PAD], [EOS], the
 * sentinels) but also the coordinates (v0=…) and the 80 COCO class names, which are words of every
 * caption ("a dog on the grass") and the labels of every box. So decoding must drop the structural
 * tokens only, as 4M does (it decodes keeping special tokens), never all special ones.
 */
import { parseColorPalette, parseDet, type DetBox, type ParsedColorPalette, type ParsedDet } from '../../tokenizers/sequence';
import type { WordPieceTokenizer } from '../../tokenizers/text';
import { RequestError } from './request-state';

/** Official det coordinates: 1000 bins (v0=0 … v0=999), as every released model's DetectionTransform. */
export const OFFICIAL_COORD_BINS = 1000;

const STRUCTURAL = /^\[(PAD|UNK|SOS|EOS|S_\d+)\]$/;
const COORDINATE = /^v\d+=\d+$/;

/** ids → text without [PAD], [SOS], [EOS], [UNK] and sentinels; class names and coordinates kept. */
export function officialSequenceText(text: WordPieceTokenizer, ids: ArrayLike<number>): string {
  const kept = Array.from(ids).filter((id) => !STRUCTURAL.test(text.idToToken(id) ?? ''));
  return text.decode(kept).trim();
}

/** The class names a det sequence may carry: the file's special added tokens that are words (COCO's 80 in the released file). */
export function officialDetClasses(text: WordPieceTokenizer): string[] {
  const names: string[] = [];
  for (let id = 0; id < text.vocabSize; id++) {
    const token = text.idToToken(id);
    if (token === undefined || !text.isSpecial(id) || STRUCTURAL.test(token) || COORDINATE.test(token) || !/^[a-z][a-z ]*$/.test(token)) continue;
    names.push(token);
  }
  return names;
}

/** Every box label must be one class token of the file: the model was never shown other words as labels. */
export function checkOfficialDetLabels(boxes: readonly DetBox[], classes: readonly string[], where: string): void {
  const known = new Set(classes);
  boxes.forEach((b, i) => {
    const label = b.label.trim().toLowerCase().split(/\s+/).join(' ');
    if (known.has(label)) return;
    const near = classes.filter((c) => c.includes(label) || label.includes(c)).slice(0, 5);
    const hint = near.length ? `did you mean ${near.map((c) => `"${c}"`).join(', ')}?` : `its ${classes.length} classes include ${classes.slice(0, 8).map((c) => `"${c}"`).join(', ')}…`;
    throw new RequestError(`${where}: boxes[${i}].label "${b.label}" is not a class this model knows as a box label (${hint})`);
  });
}

export interface OfficialSequenceOutput {
  readonly text: string;
  readonly boxes?: ParsedDet;
  readonly palette?: ParsedColorPalette;
}

/** A generated sequence in words, with boxes for det and colours for color_palette. */
export function readOfficialSequence(text: WordPieceTokenizer, modality: string, ids: ArrayLike<number>): OfficialSequenceOutput {
  const words = officialSequenceText(text, ids);
  if (modality === 'det') return { text: words, boxes: parseDet(words, { coordBins: OFFICIAL_COORD_BINS }) };
  if (modality === 'color_palette') return { text: words, palette: parseColorPalette(words) };
  return { text: words };
}
