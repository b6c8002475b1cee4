// Segmentation brush: writes one class index inside a hard circle. No anti-aliasing, since
// a blended class index would be a different class.
import { readRect } from '../document/plane';
import { clipRect, isEmptyRect, rectFromBounds } from '../document/rect';
import type { Plane } from '../document/types';
import type { RasterEdit } from './raster';

export function stampClassDab(plane: Plane, x: number, y: number, size: number, classIndex: number): RasterEdit | null {
  if (plane.channels !== 1) throw new RangeError('stampClassDab: expected a one-channel class map');
  if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex > 255) throw new RangeError('classIndex: expected 0..255');
  return stampHardDab(plane, x, y, size, [classIndex]);
}

/**
 * A hard round dab: every pixel whose centre lies inside takes `value` (one entry per channel)
 * exactly, none is blended; null when the dab falls outside the plane. For values that must not
 * mix, class indices and flat object colours.
 */
export function stampHardDab(plane: Plane, x: number, y: number, size: number, value: readonly number[]): RasterEdit | null {
  if (value.length !== plane.channels) throw new RangeError(`stampHardDab: ${value.length} values for a ${plane.channels}-channel plane`);
  const c = plane.channels;
  const r = Math.max(0.5, size / 2);
  const rect = clipRect(rectFromBounds(x - r, y - r, x + r, y + r), plane.width, plane.height);
  if (isEmptyRect(rect)) return null;
  const after = readRect(plane, rect);
  for (let j = 0; j < rect.h; j++) {
    for (let i = 0; i < rect.w; i++) {
      // Pixel centres inside the circle; a size-1 dab still hits the pixel under the cursor.
      if (Math.hypot(rect.x + i + 0.5 - x, rect.y + j + 0.5 - y) <= r) after.set(value, (j * rect.w + i) * c);
    }
  }
  return { rect, after };
}
