/**
 * What a painting of objects (the Objects (SAM) layer, or a --in sam_instance=masks.png file) must be
 * for 4M-21 to read it as a `sam_instance` condition: each flat colour one object, none a speck, and
 * no more objects than the sequence holds. The host's reader (models/tokenizers/image/sam-encode.ts,
 * readSamPainting) refuses what breaks these rules; the editor's object brush keeps to them, so the
 * two share them here. Pure.
 */

/** One instance mask on the picture: width × height, non-zero inside. */
export interface SamMaskInput {
  readonly width: number;
  readonly height: number;
  readonly mask: ArrayLike<number>;
}

/** An instance's extent in pixels, inclusive (4M's SAM box). */
export interface SamMaskBox {
  readonly xmin: number;
  readonly ymin: number;
  readonly xmax: number;
  readonly ymax: number;
}

/** Boxes smaller than this fraction of the picture were dropped from the training data (`bbox_area_threshold`). */
export const SAM_MIN_BOX_AREA_RATIO = 0.0005;

/** More colours than this cannot be a painting of objects (an antialiased or photographic picture). */
export const MAX_SAM_PAINTED_OBJECTS = 64;

/**
 * The most objects a painting gives the model with 4M's own WordPiece file: each object is its own
 * query point, box and 16 mask tokens (24 tokens), and 12 of them fit `sam_instance`'s 290
 * positions with the end mark. The open model's layout states its own (the Objects (SAM) layer's
 * `maxObjects`, counted with its WordPiece file as the host's sequence check counts); this stands in
 * where none was stated.
 */
export const SAM_CONDITION_MAX_OBJECTS = 12;

/** The extent of the instance's pixels (inclusive indices), or undefined when the mask is empty. */
export function samMaskBox(m: SamMaskInput): SamMaskBox | undefined {
  let xmin = Infinity;
  let ymin = Infinity;
  let xmax = -1;
  let ymax = -1;
  for (let y = 0; y < m.height; y++) {
    for (let x = 0; x < m.width; x++) {
      if (!m.mask[y * m.width + x]) continue;
      if (x < xmin) xmin = x;
      if (x > xmax) xmax = x;
      if (y < ymin) ymin = y;
      if (y > ymax) ymax = y;
    }
  }
  return xmax < 0 ? undefined : { xmin, ymin, xmax, ymax };
}

/** Why an instance cannot go in (empty, a line, or smaller than the training data's smallest: a speck), or undefined. */
export function samMaskProblem(m: SamMaskInput): string | undefined {
  if (m.mask.length !== m.width * m.height) return `${m.mask.length} mask values for a ${m.width}×${m.height} picture`;
  const box = samMaskBox(m);
  if (!box) return 'the mask is empty';
  const w = box.xmax - box.xmin;
  const h = box.ymax - box.ymin;
  if (w === 0 || h === 0) return `the mask is a line (${w + 1}×${h + 1} px); an object needs some width and height`;
  const minArea = SAM_MIN_BOX_AREA_RATIO * m.width * m.height;
  if (w * h < minArea) return `the object is too small (${w + 1}×${h + 1} px; the model was never shown boxes under ${Math.ceil(minArea)} px²)`;
  return undefined;
}
