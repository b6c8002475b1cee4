/**
 * `--mask <png>` for masked regeneration from the command line: the mask picture (white = regenerate,
 * black = keep, already fitted to the input picture's size) → the request's keepMask on the token grid,
 * and the written result → the input picture outside the region, fading across the token seam as the
 * editor does (half a token each way; class maps are composited hard). Pure.
 */
import { featherMask } from '../core/feather';
import type { RgbaImage } from '../tokenizers/image';

const cellEdge = (i: number, size: number, cells: number): number => Math.round((i * size) / cells);

/**
 * keepMask (1 = keep, 0 = regenerate) in row-major token order: a token is regenerated when any pixel
 * of its cell is bright (its brightest channel ≥ 128) and not transparent.
 */
export function keepMaskFromPicture(mask: RgbaImage, cols: number, rows: number): (0 | 1)[] {
  const keep: (0 | 1)[] = new Array<0 | 1>(cols * rows).fill(1);
  const d = mask.data;
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      let marked = false;
      for (let y = cellEdge(row, mask.height, rows); y < cellEdge(row + 1, mask.height, rows) && !marked; y++) {
        for (let x = cellEdge(col, mask.width, cols); x < cellEdge(col + 1, mask.width, cols); x++) {
          const i = (y * mask.width + x) * 4;
          if ((d[i + 3] as number) >= 128 && Math.max(d[i] as number, d[i + 1] as number, d[i + 2] as number) >= 128) {
            marked = true;
            break;
          }
        }
      }
      if (marked) keep[row * cols + col] = 0;
    }
  }
  return keep;
}

/** Per pixel 1 inside the regenerated cells, 0 outside, faded across the seam by `radius` (0: hard). */
function regionAlpha(keep: readonly number[], cols: number, rows: number, width: number, height: number, radius: number): Float32Array {
  const inside = new Uint8Array(width * height);
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      if (keep[row * cols + col] !== 0) continue;
      const x0 = cellEdge(col, width, cols);
      const x1 = cellEdge(col + 1, width, cols);
      for (let y = cellEdge(row, height, rows); y < cellEdge(row + 1, height, rows); y++) inside.fill(1, y * width + x0, y * width + x1);
    }
  }
  return featherMask(inside, width, height, radius);
}

/**
 * The generated picture inside the region, the original outside. `hard`: no fade (class maps, whose
 * colours must stay the palette's). Both pictures must have the same size.
 */
export function pasteOutsideRegion(original: RgbaImage, generated: RgbaImage, keep: readonly number[], cols: number, rows: number, hard = false): RgbaImage {
  const { width, height } = generated;
  if (original.width !== width || original.height !== height) throw new RangeError(`the input picture is ${original.width}×${original.height}, the result ${width}×${height}`);
  if (keep.length !== cols * rows) throw new RangeError(`keepMask has ${keep.length} entries, the grid ${cols}×${rows}`);
  const alpha = regionAlpha(keep, cols, rows, width, height, hard ? 0 : Math.max(1, Math.round(width / cols / 4)));
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const a = alpha[i] as number;
    for (let c = 0; c < 4; c++) {
      const o = original.data[i * 4 + c] as number;
      data[i * 4 + c] = hard ? (a >= 0.5 ? (generated.data[i * 4 + c] as number) : o) : Math.round(o + ((generated.data[i * 4 + c] as number) - o) * a);
    }
  }
  return { width, height, data };
}
