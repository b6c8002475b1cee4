// Copying rectangles in and out of pixel planes: the unit of pixel undo.
import type { Rect } from './rect';
import type { Plane } from './types';

export function createPlane(width: number, height: number, channels: number, fill = 0): Plane {
  const data = new Uint8Array(width * height * channels);
  if (fill !== 0) data.fill(fill);
  return { width, height, channels, data };
}

export function clonePlane(p: Plane): Plane {
  return { width: p.width, height: p.height, channels: p.channels, data: p.data.slice() };
}

/** The bytes of `rect` (assumed inside the plane), rows packed. */
export function readRect(p: Plane, rect: Rect): Uint8Array {
  const rowBytes = rect.w * p.channels;
  const out = new Uint8Array(rowBytes * rect.h);
  for (let row = 0; row < rect.h; row++) {
    const start = ((rect.y + row) * p.width + rect.x) * p.channels;
    out.set(p.data.subarray(start, start + rowBytes), row * rowBytes);
  }
  return out;
}

export function writeRect(p: Plane, rect: Rect, bytes: Uint8Array): void {
  const rowBytes = rect.w * p.channels;
  if (bytes.length !== rowBytes * rect.h) {
    throw new RangeError(`writeRect: expected ${rowBytes * rect.h} bytes, got ${bytes.length}`);
  }
  for (let row = 0; row < rect.h; row++) {
    const start = ((rect.y + row) * p.width + rect.x) * p.channels;
    p.data.set(bytes.subarray(row * rowBytes, (row + 1) * rowBytes), start);
  }
}

/** Copy `rect` of `src` (rect in src's own coordinates, rows packed) into `dst` at `at`. */
export function blitRect(dst: Uint8Array, dstRect: Rect, src: Uint8Array, srcRect: Rect, channels: number): void {
  const rowBytes = srcRect.w * channels;
  for (let row = 0; row < srcRect.h; row++) {
    const from = row * rowBytes;
    const to = ((srcRect.y - dstRect.y + row) * dstRect.w + (srcRect.x - dstRect.x)) * channels;
    dst.set(src.subarray(from, from + rowBytes), to);
  }
}
