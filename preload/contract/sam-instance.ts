/**
 * 4M-21's SAM instances as an editor layer ("Objects (SAM)"): the FM writes them as a sequence
 * (sam_instance), the host decodes it through the SAM-instance tokenizer and paints the masks in
 * the tokenizer's seeded palette (models/tokenizers/image/sam-instances.ts), and the editor keeps
 * that picture as an ordinary 3-channel picture layer (instances on black). A model that reads
 * sam_instance (4M-21) takes that picture back as a condition: the host reads each colour's separate
 * parts as objects (models/engine/generate/official-sam-condition.ts). Shared by the host (layout, runner) and the renderer (scheme,
 * inspector line, upscale). Pure.
 */

/** The layer id: the FM modality name. */
export const SAM_INSTANCE_LAYER = 'sam_instance';

/** The layer's name for the artist. */
export const SAM_INSTANCE_NAME = 'Objects (SAM)';

/** Whether a layer id is the SAM objects layer. */
export function isSamInstanceLayer(id: string): boolean {
  return id === SAM_INSTANCE_LAYER;
}

/**
 * Objects painted on a layer's RGB pixels: its distinct non-black colours (the painter gives each
 * instance its own colour on black; an instance wholly covered by smaller ones, or whose box lies
 * outside the picture, is not on the picture and not counted).
 */
export function countSamObjects(rgb: Uint8Array, channels: number): number {
  const seen = new Set<number>();
  for (let i = 0; i + channels <= rgb.length; i += channels) {
    const r = rgb[i] ?? 0;
    const g = channels >= 3 ? (rgb[i + 1] ?? 0) : r;
    const b = channels >= 3 ? (rgb[i + 2] ?? 0) : r;
    if (r === 0 && g === 0 && b === 0) continue;
    seen.add((r << 16) | (g << 8) | b);
  }
  return seen.size;
}

/** Boxes smaller than this fraction of the picture were dropped from 4M's training data (`bbox_area_threshold`). */
export const SAM_MIN_BOX_AREA_RATIO = 0.0005;

/**
 * How many objects a painted picture gives as a condition: what the host reads
 * (models/tokenizers/image/sam-encode.ts, samInstancesFromObjects): every 8-connected part of a
 * non-black colour is an object of its own (4M's instances are one outline each), except specks,
 * parts whose box (xmax − xmin) × (ymax − ymin) is under SAM_MIN_BOX_AREA_RATIO of the picture.
 */
export function countSamConditionObjects(plane: { readonly data: Uint8Array; readonly channels: number; readonly width: number; readonly height: number }): number {
  const { data, channels, width, height } = plane;
  const colour = (i: number): number => {
    const r = data[i * channels] ?? 0;
    return channels >= 3 ? (r << 16) | ((data[i * channels + 1] ?? 0) << 8) | (data[i * channels + 2] ?? 0) : r;
  };
  const seen = new Uint8Array(width * height);
  const minArea = SAM_MIN_BOX_AREA_RATIO * width * height;
  const stack: number[] = [];
  let count = 0;
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
    const w = xmax - xmin;
    const h = ymax - ymin;
    if (w > 0 && h > 0 && w * h >= minArea) count++;
  }
  return count;
}

/**
 * The inspector's line for an objects layer: generated, what the model found ("7 objects found by
 * SAM (4M-21)"; none is an answer, not an error); as a condition, what goes in (countSamConditionObjects).
 */
export function samObjectsLine(count: number, asCondition = false): string {
  if (asCondition) {
    if (count === 0) return 'no objects to go in: import a painting of objects (one flat colour each, on black) or generate them first';
    return `${count} object${count === 1 ? '' : 's'} go${count === 1 ? 'es' : ''} in as the condition, each read by the SAM tokenizer`;
  }
  if (count === 0) return 'no objects found: the model saw no object to outline here';
  return `${count} object${count === 1 ? '' : 's'} found by SAM (4M-21)`;
}
