// Region masks live on the model's token grid: the artist paints in pixels, the document
// stores which tokens to regenerate. Cell edges use floor(i × size / count), so grids that
// don't divide the image (odd sizes) still tile it exactly, with cells differing by a pixel.

export interface GridSpec {
  readonly width: number;
  readonly height: number;
  readonly cols: number;
  readonly rows: number;
}

export function cellEdge(index: number, size: number, count: number): number {
  return Math.floor((index * size) / count);
}

/** Token (col, row) under pixel (x, y), or null outside. */
export function tokenAtPixel(grid: GridSpec, x: number, y: number): { col: number; row: number } | null {
  if (x < 0 || y < 0 || x >= grid.width || y >= grid.height) return null;
  // Search from the estimate: with floor edges the estimate is off by at most one.
  let col = Math.min(grid.cols - 1, Math.floor((x * grid.cols) / grid.width));
  while (col > 0 && cellEdge(col, grid.width, grid.cols) > x) col--;
  while (col < grid.cols - 1 && cellEdge(col + 1, grid.width, grid.cols) <= x) col++;
  let row = Math.min(grid.rows - 1, Math.floor((y * grid.rows) / grid.height));
  while (row > 0 && cellEdge(row, grid.height, grid.rows) > y) row--;
  while (row < grid.rows - 1 && cellEdge(row + 1, grid.height, grid.rows) <= y) row++;
  return { col, row };
}

/**
 * Pixel mask (width × height, 0..255 coverage) → token bitmask (cols × rows, 0/1).
 * A token is selected when its mean coverage is ≥ threshold (0..1) and above zero, so a
 * threshold of 0 means "any painted pixel".
 */
export function snapMaskToTokens(pixels: Uint8Array, grid: GridSpec, threshold: number): Uint8Array {
  if (pixels.length !== grid.width * grid.height) {
    throw new RangeError(`snapMaskToTokens: expected ${grid.width * grid.height} pixels, got ${pixels.length}`);
  }
  if (grid.cols > grid.width || grid.rows > grid.height) throw new RangeError('snapMaskToTokens: more tokens than pixels');
  const out = new Uint8Array(grid.cols * grid.rows);
  for (let row = 0; row < grid.rows; row++) {
    const y0 = cellEdge(row, grid.height, grid.rows);
    const y1 = cellEdge(row + 1, grid.height, grid.rows);
    for (let col = 0; col < grid.cols; col++) {
      const x0 = cellEdge(col, grid.width, grid.cols);
      const x1 = cellEdge(col + 1, grid.width, grid.cols);
      let sum = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += pixels[y * grid.width + x] ?? 0;
      const coverage = sum / (255 * (x1 - x0) * (y1 - y0));
      out[row * grid.cols + col] = coverage > 0 && coverage >= threshold ? 1 : 0;
    }
  }
  return out;
}

/** Token bitmask → pixel mask (0 or 255), e.g. for a translucent overlay. */
export function tokensToPixelMask(tokens: Uint8Array, grid: GridSpec): Uint8Array {
  const out = new Uint8Array(grid.width * grid.height);
  for (let row = 0; row < grid.rows; row++) {
    const y0 = cellEdge(row, grid.height, grid.rows);
    const y1 = cellEdge(row + 1, grid.height, grid.rows);
    for (let col = 0; col < grid.cols; col++) {
      if (!tokens[row * grid.cols + col]) continue;
      const x0 = cellEdge(col, grid.width, grid.cols);
      const x1 = cellEdge(col + 1, grid.width, grid.cols);
      for (let y = y0; y < y1; y++) out.fill(255, y * grid.width + x0, y * grid.width + x1);
    }
  }
  return out;
}

/** A pixel-space line segment on cell edges. */
export interface Segment {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** Boundary of the selected tokens as pixel-space segments (marching-ants outline): every
 * cell edge with a selected cell on one side and an unselected cell or the border on the other. */
export function tokenMaskOutline(tokens: Uint8Array, grid: GridSpec): Segment[] {
  const on = (c: number, r: number): boolean => c >= 0 && r >= 0 && c < grid.cols && r < grid.rows && tokens[r * grid.cols + c] === 1;
  const xs = (c: number): number => cellEdge(c, grid.width, grid.cols);
  const ys = (r: number): number => cellEdge(r, grid.height, grid.rows);
  const out: Segment[] = [];
  for (let r = 0; r < grid.rows; r++) {
    for (let c = 0; c < grid.cols; c++) {
      if (!on(c, r)) continue;
      if (!on(c, r - 1)) out.push({ x0: xs(c), y0: ys(r), x1: xs(c + 1), y1: ys(r) });
      if (!on(c, r + 1)) out.push({ x0: xs(c), y0: ys(r + 1), x1: xs(c + 1), y1: ys(r + 1) });
      if (!on(c - 1, r)) out.push({ x0: xs(c), y0: ys(r), x1: xs(c), y1: ys(r + 1) });
      if (!on(c + 1, r)) out.push({ x0: xs(c + 1), y0: ys(r), x1: xs(c + 1), y1: ys(r + 1) });
    }
  }
  return out;
}

/** The editor's seam fade; one implementation with the CLI's (models/core/feather.ts). */
export { featherMask } from '../../../models/core/feather';
