/**
 * 4M-21's SAM instances as an editor layer ("Objects (SAM)"): the FM writes them as a sequence
 * (sam_instance), the host decodes it through the SAM-instance tokenizer and paints the masks in
 * the tokenizer's seeded palette (models/tokenizers/image/sam-instances.ts), and the editor keeps
 * that picture as an ordinary 3-channel picture layer (instances on black). A model that reads
 * sam_instance (4M-21) takes that picture back as a condition: the host reads each colour's separate
 * parts as objects (models/engine/generate/official-sam-condition.ts). Shared by the host (layout, runner) and the renderer (scheme,
 * inspector line, upscale). Pure.
 */
import { samPaintedParts } from './sam-painting';

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

/**
 * How many objects a painted picture gives as a condition: what the host reads
 * (samInstancesFromObjects in sam-painting.ts): every separate part of a non-black colour is an
 * object of its own (4M's instances are one outline each), specks left out.
 */
export function countSamConditionObjects(plane: { readonly data: Uint8Array; readonly channels: number; readonly width: number; readonly height: number }): number {
  return samPaintedParts(plane).filter((p) => !p.speck).length;
}

/**
 * The inspector's line for an objects layer: generated, what the model found ("7 objects found by
 * SAM (4M-21)"; none is an answer, not an error); as a condition, what goes in (countSamConditionObjects).
 */
export function samObjectsLine(count: number, asCondition = false): string {
  if (asCondition) {
    if (count === 0) return 'no objects to go in: import a painting of objects (one flat colour each, on black), paint them with the object brush (B) or generate them first';
    return `${count} object${count === 1 ? '' : 's'} go${count === 1 ? 'es' : ''} in as the condition, each read by the SAM tokenizer`;
  }
  if (count === 0) return 'no objects found: the model saw no object to outline here';
  return `${count} object${count === 1 ? '' : 's'} found by SAM (4M-21)`;
}
