/**
 * `--out sam_instance=…`: what 4M-21's SAM instances are written as. A picture (.png, …): the
 * instances in a seeded palette over transparency; .json: the raw instances (box, the averaged 64×64
 * mask and the mask placed on the picture, both thresholded at 0.5 as row-major run lengths, and the
 * colour the picture paints it in); anything else: the text the model wrote.
 *
 * `--in sam_instance=…` reads the same two files back as instance masks on the 224 px picture (the
 * engine crops and tokenizes them, engine/vq/official-sam-instance.ts): a picture's distinct colours
 * (black and transparency are background), or the JSON's placed masks. Parsing is pure; the errors
 * name the file, the instance and what is wrong.
 */
import { extname } from 'node:path';
import { SAM_PICTURE_SIDE, type DecodedSamInstances } from '../engine/vq/official-sam-instance';
import type { RgbaImage } from '../tokenizers/image';
import { MAX_SAM_PAINTED_OBJECTS, samInstancesFromObjects, type SamMaskInput } from '../../preload/contract/sam-painting';
import { readSamPainting } from '../tokenizers/image/sam-encode';
import { runLengths, samPalette } from '../tokenizers/image/sam-instances';
import { UsageError } from './errors';

export type SamOutputKind = 'picture' | 'json' | 'text';

export function samOutputKind(file: string): SamOutputKind {
  const ext = extname(file).toLowerCase();
  return ext === '.json' ? 'json' : ['.png', '.webp', '.jpg', '.jpeg'].includes(ext) ? 'picture' : 'text';
}

export function samInstancesJson(decoded: DecodedSamInstances, text: string, paletteSeed = 0): unknown {
  const side = decoded.maskSide;
  const palette = samPalette(decoded.instances.length, paletteSeed);
  return {
    text,
    width: decoded.render.width,
    height: decoded.render.height,
    rle: 'row-major run lengths, starting with a run of 0s',
    instances: decoded.instances.map((inst, k) => {
      const placed = decoded.placed[k];
      return {
        box: inst.box,
        members: inst.members,
        color: palette[k],
        mask64: { width: side, height: side, counts: runLengths(Array.from(inst.probs, (p) => (p > 0.5 ? 1 : 0))) },
        placed: placed ? { x: placed.x, y: placed.y, width: placed.width, height: placed.height, counts: runLengths(placed.mask) } : null,
      };
    }),
    dropped: decoded.parsed.dropped,
  };
}

/** The picture side instances are given on (4M-21's 224 px; the boxes are its pixels): the tokenizer's own. */
const SAM_INPUT_SIDE = SAM_PICTURE_SIDE;

/** At most this many instances are read (the sequence's length refuses far fewer anyway: checkOfficialSequenceInput). */
export const MAX_SAM_INPUT_INSTANCES = MAX_SAM_PAINTED_OBJECTS;

export interface SamMasksRead {
  readonly masks: SamMaskInput[];
  /** Lines for the user: instances left out and why. */
  readonly notes: string[];
}

function checkCount(n: number, where: string, what: string): void {
  if (n === 0) throw new UsageError(`${where}: no instances (${what})`);
  if (n > MAX_SAM_INPUT_INSTANCES) throw new UsageError(`${where}: ${n} instances; at most ${MAX_SAM_INPUT_INSTANCES} can be read (${what})`);
}

/** A RangeError of the pure readers as the usage error naming the file. */
function named<T>(where: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(`${where}: ${error.message}`);
    throw error;
  }
}

/**
 * A painted picture of instances (what --out sam_instance=masks.png writes, or the editor's objects
 * layer): every distinct colour that is neither black nor transparent is one object, each of its
 * separate parts an instance, specks left out with a note (readSamPainting). 224×224 only: boxes
 * are pixels of the picture the model reads.
 */
export function samMasksFromPicture(img: RgbaImage, where: string): SamMasksRead {
  if (img.width !== SAM_INPUT_SIDE || img.height !== SAM_INPUT_SIDE) {
    throw new UsageError(`${where}: a ${img.width}×${img.height} picture; SAM instances are painted on the ${SAM_INPUT_SIDE}×${SAM_INPUT_SIDE} picture the model reads (what --out sam_instance=masks.png writes)`);
  }
  const read = named(where, () => readSamPainting(img));
  return { masks: read.masks, notes: read.notes.map((n) => `${where}: ${n}`) };
}

/** Row-major run lengths (starting with 0s) of a width × height mask → 0/1 values, or why not. */
function fromRunLengths(counts: unknown, width: number, height: number): Uint8Array | string {
  if (!Array.isArray(counts)) return 'counts is not a list of run lengths';
  const out = new Uint8Array(width * height);
  let at = 0;
  for (const [k, c] of counts.entries()) {
    if (typeof c !== 'number' || !Number.isSafeInteger(c) || c < 0) return `counts[${k}] = ${JSON.stringify(c)} is not a run length`;
    if (at + c > out.length) return `the run lengths cover more than ${width}×${height} pixels`;
    if (k % 2 === 1) out.fill(1, at, at + c);
    at += c;
  }
  if (at !== out.length) return `the run lengths cover ${at} of ${width}×${height} pixels`;
  return out;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/**
 * What --out sam_instance=masks.json writes: {width, height, instances: [{placed: {x, y, width,
 * height, counts}}, …]}; every instance's mask placed on the picture (row-major run lengths). An
 * instance whose `placed` is null (its box lay outside the picture) is left out with a note; one in
 * several pieces is read as its pieces, specks left out with a note (samInstancesFromObjects).
 */
export function samMasksFromJson(read: unknown, where: string): SamMasksRead {
  const doc = read as { width?: unknown; height?: unknown; instances?: unknown } | null;
  if (typeof doc !== 'object' || doc === null || !Array.isArray(doc.instances)) {
    throw new UsageError(`${where}: expected {"width": 224, "height": 224, "instances": [{"placed": {"x", "y", "width", "height", "counts"}}, …]}, what --out sam_instance=masks.json writes`);
  }
  if (doc.width !== SAM_INPUT_SIDE || doc.height !== SAM_INPUT_SIDE) {
    throw new UsageError(`${where}: width ${JSON.stringify(doc.width)}, height ${JSON.stringify(doc.height)}; SAM instances are given on the ${SAM_INPUT_SIDE}×${SAM_INPUT_SIDE} picture`);
  }
  const S = SAM_INPUT_SIDE;
  const masks: SamMaskInput[] = [];
  const names: string[] = [];
  const notes: string[] = [];
  checkCount(doc.instances.length, where, 'the instances list is empty');
  doc.instances.forEach((raw: unknown, k) => {
    const name = `instances[${k}]`;
    const placed = (raw as { placed?: unknown } | null)?.placed;
    if (placed === null) {
      notes.push(`${where}: ${name} left out: its box lies outside the picture (placed is null)`);
      return;
    }
    const p = placed as { x?: unknown; y?: unknown; width?: unknown; height?: unknown; counts?: unknown } | undefined;
    if (typeof p !== 'object' || p === null) throw new UsageError(`${where}: ${name}: no "placed" mask ({"x", "y", "width", "height", "counts"})`);
    const { x, y, width, height } = p;
    if (!isInt(x) || !isInt(y) || !isInt(width) || !isInt(height) || x < 0 || y < 0 || width < 1 || height < 1 || x + width > S || y + height > S) {
      throw new UsageError(`${where}: ${name}.placed: x ${JSON.stringify(x)}, y ${JSON.stringify(y)}, width ${JSON.stringify(width)}, height ${JSON.stringify(height)} is not a rectangle inside the ${S}×${S} picture`);
    }
    const local = fromRunLengths(p.counts, width, height);
    if (typeof local === 'string') throw new UsageError(`${where}: ${name}.placed: ${local}`);
    const mask = new Uint8Array(S * S);
    for (let r = 0; r < height; r++) mask.set(local.subarray(r * width, (r + 1) * width), (y + r) * S + x);
    masks.push({ width: S, height: S, mask });
    names.push(name);
  });
  checkCount(masks.length, where, 'every instance lies outside the picture');
  // A decoded mask can come out in pieces (thresholding): each piece is an instance, specks left out.
  const instances = named(where, () => samInstancesFromObjects(masks, names));
  return { masks: instances.masks, notes: [...notes, ...instances.notes.map((n) => `${where}: ${n}`)] };
}
