/**
 * The 224 px picture condition of a 448 px request on 4M's super-resolution model. The SR model
 * reads rgb@224 beside the 448 modalities and was trained with both (the same picture at 224 and at
 * 448); worked at 448 (masked regeneration of tok_rgb@448, the RGB layer as a condition), the
 * request gives only the 448 picture, so the 224 one is derived from it: shrunk with PIL's bicubic
 * filter, the resize 4M's data loader made every picture modality with (pil-resize.ts), with the
 * patches over the region being regenerated hidden (a 224 patch is shown only when every 448 token
 * under it is kept), so the old content of the region does not leak back in through the coarse
 * picture. Pure.
 */
import type { GenerationInput, GenerationRequest } from '../../../preload/contract/generation';
import type { RgbaImage } from '../../tokenizers/image';
import type { OfficialModality } from '../fm/official-modalities';
import { officialDomain } from './official-layout';
import { resizeBicubicPil } from './pil-resize';

/** A keep mask on a fine grid → the coarse grid `factor` times smaller: a coarse cell is kept only when every fine cell in it is. */
export function coarseKeepMask(keep: readonly number[], fineRows: number, fineCols: number, factor: number): (0 | 1)[] {
  if (keep.length !== fineRows * fineCols) throw new RangeError(`keep mask has ${keep.length} entries, the ${fineRows}×${fineCols} grid ${fineRows * fineCols}`);
  if (fineRows % factor !== 0 || fineCols % factor !== 0) throw new RangeError(`a ${fineRows}×${fineCols} grid does not divide by ${factor}`);
  const rows = fineRows / factor;
  const cols = fineCols / factor;
  const out: (0 | 1)[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let kept: 0 | 1 = 1;
      for (let dy = 0; dy < factor && kept; dy++) for (let dx = 0; dx < factor && kept; dx++) if (keep[(r * factor + dy) * fineCols + c * factor + dx] === 0) kept = 0;
      out.push(kept);
    }
  }
  return out;
}

const sizeOf = (m: OfficialModality): number => ((m.grid as readonly number[])[0] as number) * m.patchSize;

/** A pixel input the request leaves out, derived from a larger picture it gives. */
export interface CoarsePicture {
  /** The pixel input to fill (rgb@224). */
  readonly name: string;
  /** The request input it comes from (rgb@448, or tok_rgb@448 given as a picture) and that picture's ref. */
  readonly from: string;
  readonly ref: string;
  /** The source picture's side in pixels (448), and source pixels per coarse pixel along a side (2 for 448 → 224). */
  readonly sourceSize: number;
  readonly factor: number;
  /** The coarse grid's kept cells (all 1 when the source has no region to regenerate). */
  readonly keepMask: (0 | 1)[];
}

/**
 * The pixel inputs of `table` that `request` does not give but can be derived from a picture of the
 * same domain it gives at a whole multiple of their size (rgb@224 from the 448 RGB picture).
 */
export function coarsePictures(table: readonly OfficialModality[], request: GenerationRequest): CoarsePicture[] {
  const out: CoarsePicture[] = [];
  for (const m of table) {
    if (m.kind !== 'image-pixels' || !m.input || !m.grid || request.inputs[m.name]) continue;
    const size = sizeOf(m);
    for (const [name, input] of Object.entries(request.inputs)) {
      const source = table.find((x) => x.name === name);
      if (input.kind !== 'image-pixels' || !source?.grid || officialDomain(name) !== officialDomain(m.name)) continue;
      const big = sizeOf(source);
      if (big <= size || big % size !== 0 || source.grid[0] % m.grid[0] !== 0 || source.grid[1] % m.grid[1] !== 0) continue;
      const factor = big / size;
      const keepMask = input.keepMask ? coarseKeepMask(input.keepMask, source.grid[0], source.grid[1], source.grid[0] / m.grid[0]) : new Array<0 | 1>(m.positions).fill(1);
      // A region over the whole picture leaves nothing of it to show.
      if (keepMask.includes(1)) out.push({ name: m.name, from: name, ref: input.ref, sourceSize: big, factor, keepMask });
      break;
    }
  }
  return out;
}

/** The derived picture from its source (already `sourceSize` square): PIL bicubic down by `factor`. */
export function coarsePixels(source: RgbaImage, c: Pick<CoarsePicture, 'sourceSize' | 'factor'>): RgbaImage {
  if (source.width !== c.sourceSize || source.height !== c.sourceSize) throw new RangeError(`the source picture is ${source.width}×${source.height}, expected ${c.sourceSize}×${c.sourceSize}`);
  const side = c.sourceSize / c.factor;
  return resizeBicubicPil(source, side, side);
}

/** The ref a derived picture goes by: its source's ref and the factor, so a replay derives the same picture. */
export const coarseRef = (c: CoarsePicture): string => `${c.ref}#1/${c.factor}`.slice(0, 256);

/** The request with each derived pixel input added (a keepMask on a pixel input that is no target: the patches it shows). */
export function withCoarsePictures(request: GenerationRequest, pictures: readonly CoarsePicture[]): GenerationRequest {
  if (pictures.length === 0) return request;
  const inputs: Record<string, GenerationInput> = { ...request.inputs };
  for (const c of pictures) inputs[c.name] = { kind: 'image-pixels', ref: coarseRef(c), ...(c.keepMask.includes(0) ? { keepMask: c.keepMask } : {}) };
  return { ...request, inputs };
}
