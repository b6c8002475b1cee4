/**
 * 4M-21's `metadata` sequence ("Image controls" in the editor): image properties such as
 * brightness or the number of people, each written as a chunk `v1=<type> v0=<bin>`. The editor
 * (the controls form) and the host (the check before a request reaches the model) read the one
 * table here, so both agree on types, ranges and bins. Pure; no imports.
 *
 * Binning follows 4M's MetadataTransform (reference notes §2.3, "metadata"):
 * - picture sizes: pixels // 32;
 * - counts: the integer itself, 0…999;
 * - levels (aesthetic score, watermark): the index of the level, split at fixed thresholds;
 * - ranges: trunc(clip((v − vmin)/(vmax − vmin), 0, 1) · (bins − 1)), computed in the same order
 *   as Python so doubles give the same bin.
 * Reading a bin back gives the middle of its range (the last bin is vmax itself). 4M's own
 * plotting decode divides by bins instead of bins − 1, which reads every bin about 2 % low and
 * does not give the same bin when written again; the editor shows the bin's middle instead.
 *
 * Order: 4M shuffles the chunks in training, so any order means the same; the text lists them by
 * type id. A written set ends with the sentinel [S_1], as 4M's own demo prompts it ("v1=16 v0=2
 * [S_1]"): in training a masked run of chunks became a sentinel, so it says "the other properties
 * are not given" rather than "the picture has none".
 */

export type MetadataKind = 'pixels' | 'count' | 'range' | 'level';

export interface MetadataSpec {
  /** 4M's name of the property. */
  readonly type: string;
  /** The v1=<id> token that names it. */
  readonly id: number;
  /** The editor's name for it. */
  readonly label: string;
  readonly kind: MetadataKind;
  /** User units: the lowest and highest value a person may give (pixels, a count, the range's ends; levels: 0 … levels − 1). */
  readonly min: number;
  readonly max: number;
  /** The highest v0 bin this property uses. */
  readonly maxBin: number;
  /** Ranges: 4M's number of bins. */
  readonly bins?: number;
  /** Levels: what each level means, and the score thresholds between them. */
  readonly levels?: readonly string[];
  readonly thresholds?: readonly number[];
}

const MAX_INT = 999;
const DIM_BIN = 32;

const count = (type: string, id: number, label: string): MetadataSpec => ({ type, id, label, kind: 'count', min: 0, max: MAX_INT, maxBin: MAX_INT });
const pixels = (type: string, id: number, label: string): MetadataSpec => ({ type, id, label, kind: 'pixels', min: 0, max: (MAX_INT + 1) * DIM_BIN - 1, maxBin: MAX_INT });
const range = (type: string, id: number, label: string, vmin: number, vmax: number, bins = 50): MetadataSpec => ({ type, id, label, kind: 'range', min: vmin, max: vmax, maxBin: bins - 1, bins });
const level = (type: string, id: number, label: string, levels: readonly string[], thresholds: readonly number[]): MetadataSpec => ({ type, id, label, kind: 'level', min: 0, max: levels.length - 1, maxBin: levels.length - 1, levels, thresholds });

/** Every property 4M-21 knows, by its v1 id (0…20). */
export const METADATA_SPECS: readonly MetadataSpec[] = [
  pixels('original_width', 0, 'Original width (px)'),
  pixels('original_height', 1, 'Original height (px)'),
  count('caption_n_chars', 2, 'Caption characters'),
  count('caption_n_words', 3, 'Caption words'),
  count('caption_n_sentences', 4, 'Caption sentences'),
  count('n_humans', 5, 'People'),
  count('n_sam_instances', 6, 'SAM instances'),
  count('n_coco_instances', 7, 'COCO instances'),
  count('coco_instance_diversity', 8, 'COCO classes'),
  range('colorfulness', 9, 'Colourfulness', 0, 150),
  range('brightness', 10, 'Brightness', 0, 255),
  range('contrast', 11, 'Contrast', 0, 127),
  range('saturation', 12, 'Saturation', 0, 255),
  range('entropy', 13, 'Entropy', 0, 10),
  range('walkability', 14, 'Walkability', 0, 1),
  range('objectness', 15, 'Objectness', 0, 1),
  count('semantic_diversity', 16, 'Semantic diversity'),
  range('geometric_complexity', 17, 'Geometric complexity', 0, 0.75),
  range('occlusion_score', 18, 'Occlusion', 0, 0.25),
  level('watermark_score', 19, 'Watermark', ['none', 'present'], [0.5]),
  level('aesthetic_score', 20, 'Aesthetic score', ['low', 'mid', 'high'], [4.5, 5.5]),
];

/** The order the controls form lists them: how the picture looks first, then what it holds, then file and caption facts. */
export const METADATA_PANEL_ORDER: readonly string[] = [
  'brightness', 'contrast', 'saturation', 'colorfulness', 'entropy', 'aesthetic_score',
  'semantic_diversity', 'n_humans', 'n_coco_instances', 'coco_instance_diversity', 'n_sam_instances',
  'geometric_complexity', 'occlusion_score', 'walkability', 'objectness', 'watermark_score',
  'original_width', 'original_height', 'caption_n_chars', 'caption_n_words', 'caption_n_sentences',
];

const BY_TYPE = new Map(METADATA_SPECS.map((s) => [s.type, s]));
const BY_ID = new Map(METADATA_SPECS.map((s) => [s.id, s]));

/** The highest v1 id a metadata chunk uses and the highest v0 value: what a WordPiece file must hold. */
export const METADATA_MAX_TYPE_ID = METADATA_SPECS.length - 1;
export const METADATA_MAX_VALUE = MAX_INT;

/** Bins by property type ("brightness" → 24): the form's and the text's common currency. */
export type MetadataBins = Readonly<Record<string, number>>;

export function metadataSpec(type: string): MetadataSpec {
  const spec = BY_TYPE.get(type);
  if (!spec) throw new Error(`"${type}" is not a metadata property 4M knows (${METADATA_SPECS.map((s) => s.type).join(', ')})`);
  return spec;
}

function describe(spec: MetadataSpec): string {
  if (spec.kind === 'level') return `a level 0…${spec.max} (${(spec.levels ?? []).join(', ')})`;
  return `${spec.min}…${spec.max}`;
}

/** A value in user units → its v0 bin. Refuses values outside the property's range instead of clipping them. */
export function metadataBin(type: string, value: number): number {
  const spec = metadataSpec(type);
  if (!Number.isFinite(value) || value < spec.min || value > spec.max) throw new Error(`${spec.label}: ${value} is outside ${describe(spec)}`);
  switch (spec.kind) {
    case 'pixels':
      return Math.min(MAX_INT, Math.floor(value / DIM_BIN));
    case 'count':
    case 'level':
      if (!Number.isInteger(value)) throw new Error(`${spec.label}: ${value} is not a whole number`);
      return value;
    case 'range': {
      const t = (value - spec.min) / (spec.max - spec.min);
      return Math.trunc(t * ((spec.bins as number) - 1));
    }
  }
}

/** A score → its level (aesthetic 5.0 → 1, "mid"), split at 4M's thresholds. */
export function metadataLevel(type: string, score: number): number {
  const spec = metadataSpec(type);
  if (spec.kind !== 'level') throw new Error(`${spec.label} is not a levelled property`);
  return (spec.thresholds ?? []).filter((t) => score >= t).length;
}

/** A v0 bin → a value in user units: the middle of the bin's range (pixels: the bin's first pixel; levels and counts: the bin). */
export function metadataValue(type: string, bin: number): number {
  const spec = metadataSpec(type);
  if (spec.kind === 'pixels') return bin * DIM_BIN;
  if (spec.kind !== 'range') return bin;
  const last = (spec.bins as number) - 1;
  const t = bin >= last ? 1 : (bin + 0.5) / last;
  return spec.min + t * (spec.max - spec.min);
}

/** A bin as a person reads it: "≈ 128", "mid", "3", "≈ 640 px". */
export function metadataValueText(type: string, bin: number): string {
  const spec = metadataSpec(type);
  if (spec.kind === 'level') return spec.levels?.[bin] ?? String(bin);
  if (spec.kind === 'count') return String(bin);
  const v = metadataValue(type, bin);
  if (spec.kind === 'pixels') return `${v}–${v + DIM_BIN - 1} px`;
  const span = spec.max - spec.min;
  return `≈ ${span >= 100 ? Math.round(v) : span >= 5 ? v.toFixed(1) : v.toFixed(span >= 0.5 ? 2 : 3)}`;
}

/** Bins → 4M's text: chunks by type id, then [S_1]; an empty set is empty text (the layer sends nothing). */
export function metadataText(bins: MetadataBins): string {
  const chunks = METADATA_SPECS.filter((s) => bins[s.type] !== undefined).map((s) => {
    const bin = bins[s.type] as number;
    if (!Number.isInteger(bin) || bin < 0 || bin > s.maxBin) throw new Error(`${s.label}: bin ${bin} is outside 0…${s.maxBin}`);
    return `v1=${s.id} v0=${bin}`;
  });
  return chunks.length ? `${chunks.join(' ')} [S_1]` : '';
}

/** Values in user units ({ brightness: 128, n_humans: 2 }) → 4M's text. */
export function serializeMetadata(values: Readonly<Record<string, number>>): string {
  const bins: Record<string, number> = {};
  for (const [type, value] of Object.entries(values)) bins[type] = metadataBin(type, value);
  return metadataText(bins);
}

export interface ParsedMetadata {
  readonly bins: MetadataBins;
  /** Words that are not a chunk 4M could have meant, with why. */
  readonly dropped: readonly { readonly text: string; readonly reason: string }[];
}

const SENTINEL = /^\[(S_\d+|EOS|PAD)\]$/;
const COORD = /^v([01])=(\d+)$/;

/**
 * Metadata text (typed by a person or generated) → bins. Lenient: takes every whole chunk it can,
 * skips sentinels, and lists what it dropped (an unknown type, a value out of the type's bins, a
 * type given twice, a stray word).
 */
export function parseMetadata(text: string): ParsedMetadata {
  const words = text.trim().split(/\s+/).filter((w) => w !== '');
  const bins: Record<string, number> = {};
  const dropped: { text: string; reason: string }[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (SENTINEL.test(w)) continue;
    const type = COORD.exec(w);
    if (!type || type[1] !== '1') {
      dropped.push({ text: w, reason: 'not a v1=<property> token' });
      continue;
    }
    const next = words[i + 1];
    const value = next === undefined ? null : COORD.exec(next);
    if (!value || value[1] !== '0') {
      dropped.push({ text: w, reason: 'no v0=<value> after it' });
      continue;
    }
    i++;
    const chunk = `${w} ${next as string}`;
    const spec = BY_ID.get(Number(type[2]));
    const bin = Number(value[2]);
    if (!spec) dropped.push({ text: chunk, reason: `v1=${type[2]} is not a property 4M knows (v1=0…v1=${METADATA_MAX_TYPE_ID})` });
    else if (bin > spec.maxBin) dropped.push({ text: chunk, reason: `${spec.label} takes v0=0…v0=${spec.maxBin}` });
    else if (bins[spec.type] !== undefined) dropped.push({ text: chunk, reason: `${spec.label} is given twice` });
    else bins[spec.type] = bin;
  }
  return { bins, dropped };
}

/** Why `text` is not metadata 4M can read, in the words of the layer `layer`; undefined when it is. */
export function metadataProblem(text: string, layer: string): string | undefined {
  const first = parseMetadata(text).dropped[0];
  return first ? `${layer}: "${first.text}": ${first.reason}` : undefined;
}
