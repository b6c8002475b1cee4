import { isCoordWord, splitSequenceWords, type SeqWord } from './coordinates';
import type { DroppedChunk } from './det';

/**
 * 4M-21's `sam_instance` text (reference §2.3): for each query point `point v0=<y> v1=<x>`, then
 * `none` or, per SAM instance containing the point, `polygon v0=xmin v1=ymin v2=xmax v3=ymax`
 * (pixels of the 224 px picture) and the 16 mask-VQ tokens of its 4×4 grid, id < 512 written
 * `v0=id`, otherwise `v1=id−512`.
 */

/** Mask-VQ tokens per instance (the 4×4 grid of the `sam-instance_1k_64` tokenizer). */
export const SAM_MASK_TOKENS = 16;
/** Token ids from this one up are written on the v1 axis. */
const V1_OFFSET = 512;

export interface SamBox {
  readonly xmin: number;
  readonly ymin: number;
  readonly xmax: number;
  readonly ymax: number;
}

export interface SamInstance {
  readonly box: SamBox;
  /** Row-major 4×4 mask-VQ ids. */
  readonly tokens: readonly number[];
}

export interface SamQueryPoint {
  readonly y: number;
  readonly x: number;
  readonly instances: readonly SamInstance[];
}

export interface ParsedSamInstances {
  readonly points: SamQueryPoint[];
  /** Every usable instance in the order written (one instance may repeat under several points). */
  readonly instances: SamInstance[];
  readonly dropped: DroppedChunk[];
}

export interface SamSerializeOptions {
  /** Mask-VQ codebook size (1024 for `sam-instance_1k_64`); ids must fit the two axes. */
  readonly codebookSize?: number;
}

function tokenWord(id: number, codebookSize: number): string {
  if (!Number.isInteger(id) || id < 0 || id >= codebookSize) throw new Error(`sam_instance: mask token ${id} is outside 0…${codebookSize - 1}`);
  return id < V1_OFFSET ? `v0=${id}` : `v1=${id - V1_OFFSET}`;
}

/** Writes query points and their instances in the data pipeline's format. */
export function serializeSamInstances(points: readonly SamQueryPoint[], options: SamSerializeOptions = {}): string {
  const codebookSize = options.codebookSize ?? 1024;
  const words: string[] = [];
  for (const p of points) {
    words.push('point', `v0=${p.y}`, `v1=${p.x}`);
    if (p.instances.length === 0) {
      words.push('none');
      continue;
    }
    for (const inst of p.instances) {
      if (inst.tokens.length !== SAM_MASK_TOKENS) throw new Error(`sam_instance: an instance needs ${SAM_MASK_TOKENS} mask tokens, got ${inst.tokens.length}`);
      const b = inst.box;
      words.push('polygon', `v0=${b.xmin}`, `v1=${b.ymin}`, `v2=${b.xmax}`, `v3=${b.ymax}`);
      for (const id of inst.tokens) words.push(tokenWord(id, codebookSize));
    }
  }
  return words.join(' ');
}

/**
 * One `polygon` group (the words after the keyword) → an instance, or why not. As the official
 * decoder: exactly 4 + 16 words; box values are read whatever their axis; a token on v0 is its id,
 * on any other axis id + 512; boxes must have xmin < xmax and ymin < ymax.
 */
function readInstance(group: readonly SeqWord[], codebookSize: number): SamInstance | string {
  if (group.length !== 4 + SAM_MASK_TOKENS) return `an instance needs 4 box values and ${SAM_MASK_TOKENS} mask tokens (${4 + SAM_MASK_TOKENS} words), got ${group.length}`;
  const values: number[] = [];
  for (const w of group) {
    if (!isCoordWord(w)) return `"${w.text}" is not a v<axis>=<number> word`;
    values.push(w.value);
  }
  const [xmin = 0, ymin = 0, xmax = 0, ymax = 0] = values;
  if (xmin >= xmax || ymin >= ymax) return `empty box (${xmin},${ymin})–(${xmax},${ymax})`;
  const tokens = group.slice(4).map((w, k) => (values[4 + k] as number) + ('axis' in w && w.axis === 0 ? 0 : V1_OFFSET));
  const bad = tokens.find((t) => t >= codebookSize);
  if (bad !== undefined) return `mask token ${bad} is outside the codebook (0…${codebookSize - 1})`;
  return { box: { xmin, ymin, xmax, ymax }, tokens };
}

/**
 * Parses sam_instance text (decoded model output, sentinels and [EOS] ignored). Robust to malformed
 * output: groups that are not complete instances are dropped and reported, never thrown.
 */
export function parseSamInstances(text: string, options: SamSerializeOptions = {}): ParsedSamInstances {
  const codebookSize = options.codebookSize ?? 1024;
  const words = splitSequenceWords(text);
  const points: SamQueryPoint[] = [];
  const instances: SamInstance[] = [];
  const dropped: DroppedChunk[] = [];
  // Split into point groups, each into its head (coordinates, `none`) and polygon groups.
  let i = 0;
  while (i < words.length) {
    const start = i;
    if (words[i]?.text === 'point') i += 1;
    const head: SeqWord[] = [];
    while (i < words.length && words[i]?.text !== 'point' && words[i]?.text !== 'polygon') head.push(words[i++] as SeqWord);
    const found: SamInstance[] = [];
    while (i < words.length && words[i]?.text === 'polygon') {
      i += 1;
      const group: SeqWord[] = [];
      while (i < words.length && words[i]?.text !== 'point' && words[i]?.text !== 'polygon') group.push(words[i++] as SeqWord);
      const r = readInstance(group, codebookSize);
      if (typeof r === 'string') dropped.push({ text: ['polygon', ...group.map((w) => w.text)].join(' '), reason: r });
      else found.push(r);
    }
    instances.push(...found);
    const [yw, xw] = head;
    const keyword = words[start]?.text === 'point';
    const isPoint = keyword && yw && xw && isCoordWord(yw) && isCoordWord(xw);
    if (isPoint) points.push({ y: yw.value, x: xw.value, instances: found });
    else if (head.length > 0 || found.length > 0) {
      dropped.push({ text: words.slice(start, start + (keyword ? 1 : 0) + head.length).map((w) => w.text).join(' '), reason: 'not a `point v0=<y> v1=<x>` query point' });
    }
  }
  return { points, instances, dropped };
}
