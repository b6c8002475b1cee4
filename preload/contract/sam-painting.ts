/**
 * What a painting of objects (the Objects (SAM) layer, or a --in sam_instance=masks.png file) is to
 * 4M-21's `sam_instance` condition, and what it must be. 4M's data holds one outline per instance,
 * so each flat colour is an object and each of its separate (8-connected) parts an instance of its
 * own; a part whose box is under the training data's smallest is a speck, left out with a note; an
 * object with no part that can go in is refused; at most 64 colours and no more instances than the
 * sequence holds. The host's readers (models/tokenizers/image/sam-encode.ts readSamPainting, the
 * CLI) apply these rules, the editor's inspector and object brush count and keep to them, so they
 * live here. Pure.
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
 * The most objects (instances: separate parts) a painting gives the model with 4M's own WordPiece
 * file: each is at most its own query point, box and 16 mask tokens (24 tokens), and 12 of them fit
 * `sam_instance`'s 290 positions with the end mark. The open model's layout states its own (the
 * Objects (SAM) layer's `maxObjects`, counted with its WordPiece file as the host's sequence check
 * counts); this stands in where none was stated.
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

/**
 * The mask's 8-connected parts (what cv2.findContours traces as separate outer outlines), each a
 * mask of its own, in order of their first pixel (row-major).
 */
export function samMaskParts(m: SamMaskInput): SamMaskInput[] {
  const { width, height } = m;
  const label = new Int32Array(width * height);
  const parts: SamMaskInput[] = [];
  const stack: number[] = [];
  for (let start = 0; start < width * height; start++) {
    if (!m.mask[start] || label[start]) continue;
    const mask = new Uint8Array(width * height);
    const id = parts.length + 1;
    label[start] = id;
    stack.push(start);
    while (stack.length) {
      const i = stack.pop() as number;
      mask[i] = 1;
      const x = i % width;
      const y = (i - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const u = x + dx;
          const v = y + dy;
          if (u < 0 || v < 0 || u >= width || v >= height) continue;
          const j = v * width + u;
          if (m.mask[j] && !label[j]) {
            label[j] = id;
            stack.push(j);
          }
        }
      }
    }
    parts.push({ width, height, mask });
  }
  return parts;
}

/**
 * Why a part with this box on a width × height picture is a speck (a line, or a box under the
 * training data's smallest: 4M's remove_tiny_instances dropped those, a line's box having no area),
 * or undefined when the model reads it.
 */
export function samSpeckProblem(box: SamMaskBox, width: number, height: number): string | undefined {
  const w = box.xmax - box.xmin;
  const h = box.ymax - box.ymin;
  if (w === 0 || h === 0) return `the mask is a line (${w + 1}×${h + 1} px); an object needs some width and height`;
  const minArea = SAM_MIN_BOX_AREA_RATIO * width * height;
  if (w * h < minArea) return `the object is too small (${w + 1}×${h + 1} px; the model was never shown boxes under ${Math.ceil(minArea)} px²)`;
  return undefined;
}

/** Why one instance cannot go in (empty, several parts, or a speck: samSpeckProblem), or undefined. */
export function samMaskProblem(m: SamMaskInput): string | undefined {
  if (m.mask.length !== m.width * m.height) return `${m.mask.length} mask values for a ${m.width}×${m.height} picture`;
  const box = samMaskBox(m);
  if (!box) return 'the mask is empty';
  const parts = samMaskParts(m).length;
  if (parts > 1) return `${parts} separate parts; an instance in 4M's data is one outline (give each part as an object of its own)`;
  return samSpeckProblem(box, m.width, m.height);
}

/** Instances read from objects (a painting's colours, a file's masks), and lines for the user about what changed. */
export interface SamObjectsRead {
  readonly masks: SamMaskInput[];
  readonly notes: string[];
}

const boxText = (b: SamMaskBox): string => `${b.xmax - b.xmin + 1}×${b.ymax - b.ymin + 1} px at x ${b.xmin}, y ${b.ymin}`;

/**
 * Objects → the instances 4M's data holds: each 8-connected part of an object is an instance of its
 * own (the official pipeline has one outline per instance, so an object in several pieces can only
 * be its pieces), and a part that is a speck (samSpeckProblem) is left out with a note when the
 * object has a part that is not. An object with no part that can go in is refused, a RangeError
 * naming it ("<name>: why").
 */
export function samInstancesFromObjects(objects: readonly SamMaskInput[], names: readonly string[]): SamObjectsRead {
  const masks: SamMaskInput[] = [];
  const notes: string[] = [];
  objects.forEach((object, k) => {
    const name = names[k] ?? `object ${k + 1}`;
    if (object.mask.length !== object.width * object.height || !samMaskBox(object)) throw new RangeError(`${name}: ${samMaskProblem(object) as string}`);
    const parts = samMaskParts(object).map((part) => ({ part, box: samMaskBox(part) as SamMaskBox, problem: samMaskProblem(part) }));
    const kept = parts.filter((p) => !p.problem);
    if (kept.length === 0) {
      const area = (b: SamMaskBox): number => (b.xmax - b.xmin + 1) * (b.ymax - b.ymin + 1);
      const largest = parts.reduce((best, p) => (area(p.box) > area(best.box) ? p : best));
      throw new RangeError(parts.length === 1 ? `${name}: ${largest.problem as string}` : `${name}: none of its ${parts.length} separate parts can be an object; the largest: ${largest.problem as string}`);
    }
    if (kept.length > 1) notes.push(`${name}: ${kept.length} separate parts, read as ${kept.length} objects (an instance in 4M's data is one outline)`);
    const specks = parts.filter((p) => p.problem).map((p) => boxText(p.box));
    if (specks.length > 0) {
      const minArea = Math.ceil(SAM_MIN_BOX_AREA_RATIO * object.width * object.height);
      notes.push(`${name}: left out ${specks.length === 1 ? 'a speck' : `${specks.length} specks`} (${specks.join('; ')}): 4M's data pipeline drops parts whose box is under ${minArea} px²`);
    }
    masks.push(...kept.map((p) => p.part));
  });
  return { masks, notes };
}

/** One separate part of a colour on a painted plane: its colour (0xrrggbb, or the grey value of a one-channel plane), box, and why it is a speck (undefined: an object the model reads). */
export interface SamPaintedPart {
  readonly colour: number;
  readonly box: SamMaskBox;
  readonly speck: string | undefined;
}

/**
 * Every separate (8-connected) part of every non-black colour on a painted plane (RGB or grey), in
 * order of its first pixel (row-major), as samInstancesFromObjects splits a painting's colours: a
 * part with no `speck` is an instance the host reads. One pass over the plane, for the editor (the
 * inspector's count, the object brush's count and specks).
 */
export function samPaintedParts(plane: { readonly data: ArrayLike<number>; readonly channels: number; readonly width: number; readonly height: number }): SamPaintedPart[] {
  const { data, channels, width, height } = plane;
  const colour = (i: number): number => {
    const r = data[i * channels] ?? 0;
    return channels >= 3 ? (r << 16) | ((data[i * channels + 1] ?? 0) << 8) | (data[i * channels + 2] ?? 0) : r;
  };
  const seen = new Uint8Array(width * height);
  const stack: number[] = [];
  const parts: SamPaintedPart[] = [];
  for (let start = 0; start < width * height; start++) {
    const c = colour(start);
    if (c === 0 || seen[start]) continue;
    seen[start] = 1;
    stack.push(start);
    let [xmin, ymin, xmax, ymax] = [width, height, -1, -1];
    while (stack.length) {
      const i = stack.pop() as number;
      const x = i % width;
      const y = (i - x) / width;
      [xmin, ymin, xmax, ymax] = [Math.min(xmin, x), Math.min(ymin, y), Math.max(xmax, x), Math.max(ymax, y)];
      for (let v = Math.max(0, y - 1); v <= Math.min(height - 1, y + 1); v++) {
        for (let u = Math.max(0, x - 1); u <= Math.min(width - 1, x + 1); u++) {
          const j = v * width + u;
          if (!seen[j] && colour(j) === c) {
            seen[j] = 1;
            stack.push(j);
          }
        }
      }
    }
    const box = { xmin, ymin, xmax, ymax };
    parts.push({ colour: c, box, speck: samSpeckProblem(box, width, height) });
  }
  return parts;
}
