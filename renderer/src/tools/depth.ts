// Depth tools on a one-channel 8-bit plane (255 = nearest, 0 = farthest; see FORMAT.md).
import type { Plane } from '../document/types';
import { stampDab, type BrushSettings, type Dab } from './brush';
import type { RasterEdit } from './raster';

/** A soft brush that pulls depth towards `value`. */
export function stampDepthDab(plane: Plane, dab: Dab, settings: Omit<BrushSettings, 'color'>, value: number): RasterEdit | null {
  if (plane.channels !== 1) throw new RangeError('stampDepthDab: expected a one-channel depth plane');
  return stampDab(plane, dab, { ...settings, color: [clampByte(value)] });
}

export interface GradientStop {
  readonly x: number;
  readonly y: number;
  readonly value: number;
}

/** Linear ramp over the whole plane: `a.value` at and before a, `b.value` at and past b. */
export function linearGradient(plane: Plane, a: GradientStop, b: GradientStop): RasterEdit {
  if (plane.channels !== 1) throw new RangeError('linearGradient: expected a one-channel plane');
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const after = new Uint8Array(plane.width * plane.height);
  for (let y = 0; y < plane.height; y++) {
    for (let x = 0; x < plane.width; x++) {
      const t = len2 === 0 ? 1 : Math.min(1, Math.max(0, ((x + 0.5 - a.x) * dx + (y + 0.5 - a.y) * dy) / len2));
      after[y * plane.width + x] = clampByte(a.value + (b.value - a.value) * t);
    }
  }
  return { rect: { x: 0, y: 0, w: plane.width, h: plane.height }, after };
}

export function clampByte(v: number): number {
  return Math.min(255, Math.max(0, Math.round(v)));
}
