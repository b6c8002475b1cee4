import { assertCoordBins, clampInt, isCoordWord, roundHalfEven, splitSequenceWords } from './coordinates';

/** A box with normalized corner coordinates in [0, 1]. */
export interface DetBox {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  readonly label: string;
  readonly score?: number;
}

export interface DetSerializeOptions {
  /** B: the model's coordinate bin count, from its manifest (4M official: 1000). */
  readonly coordBins: number;
  /** Keep boxes with score ≥ threshold (4M's data pipeline uses 0.6); boxes without a score are kept. */
  readonly scoreThreshold?: number;
}

/** What the parser could not use, so the UI can say why a box went missing. */
export interface DroppedChunk {
  readonly text: string;
  readonly reason: string;
}

export interface ParsedDet {
  readonly boxes: DetBox[];
  readonly dropped: DroppedChunk[];
  /** Coordinates that were outside 0…B−1 and were clamped, or corners that were swapped. */
  readonly repaired: number;
}

const unit = (v: number): number => Math.min(1, Math.max(0, v));

/** 4M det text: filter, sort by x0²+y0² ('dist_to_orig'), then `v0=… v1=… v2=… v3=… <class>` per box. */
export function serializeDet(boxes: readonly DetBox[], options: DetSerializeOptions): string {
  assertCoordBins(options.coordBins);
  const scale = options.coordBins - 1;
  const threshold = options.scoreThreshold;
  const kept = boxes.filter((b) => threshold === undefined || b.score === undefined || b.score >= threshold);
  // Array.prototype.sort is stable, like Python's sorted().
  const ordered = [...kept].sort((a, b) => a.x0 * a.x0 + a.y0 * a.y0 - (b.x0 * b.x0 + b.y0 * b.y0));
  return ordered
    .map((b) => {
      const label = b.label.trim().split(/\s+/).join(' ');
      if (!label) throw new Error('serializeDet: every box needs a non-empty label');
      const coords = [b.x0, b.y0, b.x1, b.y1].map((v, axis) => `v${axis}=${roundHalfEven(unit(v) * scale)}`);
      return `${coords.join(' ')} ${label}`;
    })
    .join(' ');
}

/**
 * Parses det text (for example the decoded model output) back into boxes. Robust to malformed
 * output: incomplete groups and label-less boxes are dropped and reported, values are clamped.
 */
export function parseDet(text: string, options: { readonly coordBins: number }): ParsedDet {
  assertCoordBins(options.coordBins);
  const scale = options.coordBins - 1;
  const words = splitSequenceWords(text);
  const boxes: DetBox[] = [];
  const dropped: DroppedChunk[] = [];
  let repaired = 0;
  let i = 0;
  while (i < words.length) {
    const start = i;
    const coords: number[] = [];
    while (coords.length < 4 && i < words.length) {
      const w = words[i];
      if (!w || !isCoordWord(w) || w.axis !== coords.length) break;
      coords.push(w.value);
      i += 1;
    }
    const labelWords: string[] = [];
    while (i < words.length) {
      const w = words[i];
      if (!w || isCoordWord(w)) break;
      labelWords.push(w.text);
      i += 1;
    }
    if (i === start) {
      // A coordinate out of order: skip it and its words so parsing resynchronises on the next v0.
      i += 1;
      for (let w = words[i]; w && !isCoordWord(w); w = words[i]) i += 1;
    }
    const chunk = words.slice(start, i).map((w) => w.text).join(' ');
    if (coords.length < 4) {
      dropped.push({ text: chunk, reason: `incomplete box: ${coords.length} of 4 coordinates` });
      continue;
    }
    if (labelWords.length === 0) {
      dropped.push({ text: chunk, reason: 'box without a class label' });
      continue;
    }
    const clamped = coords.map((v) => clampInt(v, 0, scale));
    repaired += clamped.filter((v, k) => v !== coords[k]).length;
    const [a = 0, b = 0, c = 0, d = 0] = clamped;
    if (a > c || b > d) repaired += 1;
    boxes.push({
      x0: Math.min(a, c) / scale,
      y0: Math.min(b, d) / scale,
      x1: Math.max(a, c) / scale,
      y1: Math.max(b, d) / scale,
      label: labelWords.join(' '),
    });
  }
  return { boxes, dropped, repaired };
}
