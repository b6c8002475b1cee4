/**
 * Official 4M sequence outputs and inputs in words: the WordPiece ids of caption, det and
 * color_palette ↔ text, boxes and colours. Pure.
 *
 * 4M's WordPiece file flags every added token `special`: the structural ones ([PAD], [EOS], the
 * sentinels) but also the coordinates (v0=…) and the 80 COCO class names, which are words of every
 * caption ("a dog on the grass") and the labels of every box. So decoding must drop the structural
 * tokens only, as 4M does (it decodes keeping special tokens), never all special ones.
 */
import { MAX_PALETTE_COLORS, parseColorPalette, parseDet, type DetBox, type ParsedColorPalette, type ParsedDet } from '../../tokenizers/sequence';
import { classifyWord, isCoordWord, splitSequenceWords } from '../../tokenizers/sequence/coordinates';
import { parseSamInstances, SAM_MASK_TOKENS, serializeSamInstances } from '../../tokenizers/sequence/sam-instance';
import type { WordPieceTokenizer } from '../../tokenizers/text';
import { METADATA_MAX_TYPE_ID, METADATA_MAX_VALUE, metadataProblem } from '../../../preload/contract/metadata';
import { MAX_SAM_PAINTED_OBJECTS } from '../../../preload/contract/sam-painting';
import { RequestError } from './request-state';
import { isStructuralToken, sequenceWordsText } from './sequence-words';

/** Official det coordinates: 1000 bins (v0=0 … v0=999), as every released model's DetectionTransform. */
export const OFFICIAL_COORD_BINS = 1000;

const COORDINATE = /^v\d+=\d+$/;

/** What reading a WordPiece file's vocabulary needs (a WordPieceTokenizer is one). */
export type OfficialTextVocabulary = Pick<WordPieceTokenizer, 'vocabSize' | 'idToToken' | 'isSpecial' | 'tokenToId'>;

/** The class names a det sequence may carry: the file's special added tokens that are words (COCO's 80 in the released file). */
export function officialDetClasses(text: OfficialTextVocabulary): string[] {
  const names: string[] = [];
  for (let id = 0; id < text.vocabSize; id++) {
    const token = text.idToToken(id);
    if (token === undefined || !text.isSpecial(id) || isStructuralToken(token) || COORDINATE.test(token) || !/^[a-z][a-z ]*$/.test(token)) continue;
    names.push(token);
  }
  return names;
}

/** Why `label` is not a box label of `classes` ("did you mean …"), or undefined when it is one. */
export function unknownDetLabel(label: string, classes: readonly string[]): string | undefined {
  const wanted = label.trim().toLowerCase().split(/\s+/).join(' ');
  if (classes.includes(wanted)) return undefined;
  const near = wanted ? classes.filter((c) => c.includes(wanted) || wanted.includes(c)).slice(0, 5) : [];
  return near.length ? `did you mean ${near.map((c) => `"${c}"`).join(', ')}?` : `its ${classes.length} classes include ${classes.slice(0, 8).map((c) => `"${c}"`).join(', ')}…`;
}

/** Every box label must be one class token of the file: the model was never shown other words as labels. */
export function checkOfficialDetLabels(boxes: readonly DetBox[], classes: readonly string[], where: string): void {
  boxes.forEach((b, i) => {
    const hint = unknownDetLabel(b.label, classes);
    if (hint) throw new RequestError(`${where}: boxes[${i}].label "${b.label}" is not a class this model knows as a box label (${hint})`);
  });
}

const AXES = ['x0', 'y0', 'x1', 'y1'] as const;
const COORDINATE_LIKE = /^v\d+=/;

/**
 * Why typed det text is not boxes 4M writes, naming the box (1-based, in the text's order) and its
 * words; undefined when every box is four coordinates v0…v3 in 0…999 with the top-left corner first
 * and a label. parseDet clamps and swaps such boxes, which suits the model's own output; a box a
 * person gave must be read as given or refused.
 */
export function officialDetProblem(input: string, layer: string): string | undefined {
  const words = input.split(/\s+/).filter((w) => w !== '');
  const odd = words.find((w) => COORDINATE_LIKE.test(w) && (!isCoordWord(classifyWord(w)) || Number(w.slice(1, w.indexOf('='))) > 3));
  if (odd) return `${layer}: "${odd}" is not a box coordinate 4M writes (v0…v3 = 0…${OFFICIAL_COORD_BINS - 1}: x0 y0 x1 y1)`;
  const { dropped } = parseDet(input, { coordBins: OFFICIAL_COORD_BINS });
  if (dropped[0]) return `${layer}: "${dropped[0].text}": ${dropped[0].reason}`;
  // Nothing dropped: the words are whole boxes, four coordinates in order then the label.
  const seq = splitSequenceWords(input);
  let box = 0;
  for (let i = 0; i < seq.length; ) {
    const coords = seq.slice(i, i + 4).map((w) => (isCoordWord(w) ? w.value : 0));
    let end = i + 4;
    while (end < seq.length && !isCoordWord(seq[end] as { text: string })) end += 1;
    const chunk = seq.slice(i, end).map((w) => w.text).join(' ');
    box += 1;
    i = end;
    const where = `${layer}: box ${box} "${chunk}"`;
    const out = coords.findIndex((v) => v > OFFICIAL_COORD_BINS - 1);
    if (out >= 0) return `${where}: ${AXES[out]} v${out}=${coords[out]} is outside 0…${OFFICIAL_COORD_BINS - 1}`;
    const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = coords;
    if (x0 > x1) return `${where}: x0 (v0=${x0}) is right of x1 (v2=${x1}); give the top-left corner first`;
    if (y0 > y1) return `${where}: y0 (v1=${y0}) is below y1 (v3=${y1}); give the top-left corner first`;
  }
  return undefined;
}

/**
 * Which sequence layers a WordPiece file can carry both ways: det needs every coordinate word
 * v0…v3=0…999 and at least one class name (the labels it offers); color_palette needs the colour
 * count v1=1…7 and the channel values v0=0…255; metadata (image controls) needs the property ids
 * v1=0…20 and the values v0=0…999. A file without them (a smaller vocabulary) would
 * split coordinates into word pieces the model never saw, so the layer is not offered.
 */
export function officialSequenceSupport(text: OfficialTextVocabulary): { readonly boxLabels?: string[]; readonly palette: boolean; readonly metadata: boolean } {
  const has = (prefix: string, last: number, first = 0): boolean => {
    for (let v = first; v <= last; v++) if (text.tokenToId(`${prefix}=${v}`) === undefined) return false;
    return true;
  };
  const coords = [0, 1, 2, 3].every((axis) => has(`v${axis}`, OFFICIAL_COORD_BINS - 1));
  const classes = coords ? officialDetClasses(text) : [];
  const palette = has('v1', MAX_PALETTE_COLORS, 1) && has('v0', 255);
  const metadata = has('v1', METADATA_MAX_TYPE_ID) && has('v0', METADATA_MAX_VALUE);
  return { ...(classes.length ? { boxLabels: classes } : {}), palette, metadata };
}

/**
 * A det, color_palette or metadata text input, checked before it reaches the model, in the words
 * of the layer `layer` (the editor's name for it): every box whole, in range and named by one of the file's classes,
 * every metadata chunk a property 4M knows with a value in its bins, and the sequence (with
 * [EOS]) within the model's `positions`. Other modalities pass unchecked.
 */
export function checkOfficialSequenceInput(text: WordPieceTokenizer, modality: string, input: string, positions: number, layer: string): void {
  const tokens = text.encode(input).length + 1;
  if (modality === 'det') {
    const problem = officialDetProblem(input, layer);
    if (problem) throw new RequestError(problem);
    const { boxes } = parseDet(input, { coordBins: OFFICIAL_COORD_BINS });
    const classes = officialDetClasses(text);
    for (const b of boxes) {
      const hint = unknownDetLabel(b.label, classes);
      if (hint) throw new RequestError(`${layer}: "${b.label}" is not a box label this model knows (${hint}); pick one of its ${classes.length} classes`);
    }
    if (tokens > positions) {
      const perBox = boxes.length ? (tokens - 1) / boxes.length : tokens;
      throw new RequestError(`${layer}: ${boxes.length} boxes are ${tokens} tokens with the end mark; the model reads at most ${positions} (about ${Math.max(0, Math.floor((positions - 1) / perBox))} boxes): remove some boxes`);
    }
  } else if (modality === 'color_palette') {
    // 4M palettes are a count and 1…7 RGB triples: one more colour no longer fits the model's 23 positions.
    if (tokens > positions) throw new RequestError(`${layer}: a palette holds 1 to ${MAX_PALETTE_COLORS} colours; remove some swatches`);
  } else if (modality === 'sam_instance') {
    if (tokens > positions) {
      const count = parseSamInstances(input).points.reduce((n, p) => n + p.instances.length, 0);
      const per = count ? (tokens - 1) / count : tokens;
      throw new RequestError(`${layer}: ${count} object${count === 1 ? '' : 's'} (with their query points) are ${tokens} tokens with the end mark; the model reads at most ${positions} (about ${Math.max(0, Math.floor((positions - 1) / per))} objects): give fewer objects`);
    }
  } else if (modality === 'metadata') {
    const problem = metadataProblem(input, layer);
    if (problem) throw new RequestError(problem);
    if (tokens > positions) throw new RequestError(`${layer}: ${tokens} tokens with the end mark; the model reads at most ${positions}: set fewer controls`);
  }
}

/**
 * The most objects a painting of SAM instances gives as a condition: a flat painting's objects never
 * overlap, so each is written under a query point of its own (point, box, 16 mask tokens); what fits
 * the sequence's positions with the end mark, counted as checkOfficialSequenceInput counts, and never
 * more colours than a painting may hold. 12 with 4M's WordPiece file and 290 positions.
 */
export function officialSamMaxObjects(text: Pick<WordPieceTokenizer, 'encode'>, positions: number): number {
  const one = serializeSamInstances([{ y: 0, x: 0, instances: [{ box: { xmin: 0, ymin: 0, xmax: 1, ymax: 1 }, tokens: new Array<number>(SAM_MASK_TOKENS).fill(0) }] }]);
  return Math.max(0, Math.min(MAX_SAM_PAINTED_OBJECTS, Math.floor((positions - 1) / text.encode(one).length)));
}

export interface OfficialSequenceOutput {
  readonly text: string;
  readonly boxes?: ParsedDet;
  readonly palette?: ParsedColorPalette;
}

/** A generated sequence in words, with boxes for det and colours for color_palette. */
export function readOfficialSequence(text: WordPieceTokenizer, modality: string, ids: ArrayLike<number>): OfficialSequenceOutput {
  const words = sequenceWordsText(text, ids);
  if (modality === 'det') return { text: words, boxes: parseDet(words, { coordBins: OFFICIAL_COORD_BINS }) };
  if (modality === 'color_palette') return { text: words, palette: parseColorPalette(words) };
  return { text: words };
}
