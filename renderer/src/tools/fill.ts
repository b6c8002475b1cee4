// Flood fill (4-connected) for RGB rasters and class maps, with a per-channel tolerance.
import { readRect } from '../document/plane';
import type { Plane } from '../document/types';
import type { RasterEdit } from './raster';

/** tolerance: the largest per-channel difference from the seed pixel still filled (0 = exact; use 0 for class maps). */
export function floodFill(plane: Plane, x: number, y: number, value: readonly number[], tolerance = 0): RasterEdit | null {
  const { width, height, channels: ch, data } = plane;
  const sx = Math.floor(x);
  const sy = Math.floor(y);
  if (sx < 0 || sy < 0 || sx >= width || sy >= height) return null;
  const seed = data.slice((sy * width + sx) * ch, (sy * width + sx + 1) * ch);
  const matches = (p: number): boolean => {
    for (let c = 0; c < ch; c++) if (Math.abs((data[p * ch + c] ?? 0) - (seed[c] ?? 0)) > tolerance) return false;
    return true;
  };
  const filled = new Uint8Array(width * height);
  const stack = [sy * width + sx];
  filled[sy * width + sx] = 1;
  let minX = sx, maxX = sx, minY = sy, maxY = sy;
  while (stack.length) {
    const p = stack.pop() ?? 0;
    const px = p % width;
    const py = (p - px) / width;
    if (px < minX) minX = px;
    if (px > maxX) maxX = px;
    if (py < minY) minY = py;
    if (py > maxY) maxY = py;
    const next = [px > 0 ? p - 1 : -1, px < width - 1 ? p + 1 : -1, py > 0 ? p - width : -1, py < height - 1 ? p + width : -1];
    for (const n of next) {
      if (n >= 0 && !filled[n] && matches(n)) {
        filled[n] = 1;
        stack.push(n);
      }
    }
  }
  const rect = { x: minX, y: minY, w: maxX - minX + 1, h: maxY - minY + 1 };
  const after = readRect(plane, rect);
  for (let j = 0; j < rect.h; j++) {
    for (let i = 0; i < rect.w; i++) {
      if (!filled[(rect.y + j) * width + rect.x + i]) continue;
      for (let c = 0; c < ch; c++) after[(j * rect.w + i) * ch + c] = value[c] ?? 0;
    }
  }
  return { rect, after };
}
