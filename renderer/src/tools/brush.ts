// Round brush/eraser dabs with hardness and pressure, and dab placement along a stroke.
import { readRect } from '../document/plane';
import { clipRect, isEmptyRect, rectFromBounds } from '../document/rect';
import type { Plane } from '../document/types';
import type { RasterEdit } from './raster';

export interface BrushSettings {
  /** Diameter in pixels at full pressure. */
  readonly size: number;
  /** 0 = soft falloff from the centre, 1 = hard edge. */
  readonly hardness: number;
  /** 0..1, multiplies every dab's coverage. */
  readonly opacity: number;
  /** Fraction of the diameter between dabs (0.1–0.25 is smooth). */
  readonly spacing: number;
  /** One value per channel: the paint colour, or for an eraser the layer's empty value. */
  readonly color: readonly number[];
}

export interface Dab {
  readonly x: number;
  readonly y: number;
  /** 0..1 from the pen; 1 for a mouse. */
  readonly pressure: number;
}

/** Coverage 0..1 of a pixel at `dist` from a dab centre of `radius`. */
export function dabCoverage(dist: number, radius: number, hardness: number): number {
  if (dist >= radius) return 0;
  const core = radius * Math.min(1, Math.max(0, hardness));
  if (dist <= core) return 1;
  const t = (dist - core) / (radius - core);
  // Smoothstep falloff: no visible ring where the core ends.
  return 1 - t * t * (3 - 2 * t);
}

/** Pressure scales size (never below one pixel wide) and leaves opacity to the caller's settings. */
export function dabRadius(settings: BrushSettings, pressure: number): number {
  return Math.max(0.5, (settings.size / 2) * Math.min(1, Math.max(0, pressure)));
}

/** One dab blended over the plane; null when it falls outside. */
export function stampDab(plane: Plane, dab: Dab, settings: BrushSettings): RasterEdit | null {
  const r = dabRadius(settings, dab.pressure);
  const rect = clipRect(rectFromBounds(dab.x - r, dab.y - r, dab.x + r, dab.y + r), plane.width, plane.height);
  if (isEmptyRect(rect)) return null;
  const after = readRect(plane, rect);
  const ch = plane.channels;
  for (let j = 0; j < rect.h; j++) {
    const py = rect.y + j + 0.5;
    for (let i = 0; i < rect.w; i++) {
      const px = rect.x + i + 0.5;
      const a = dabCoverage(Math.hypot(px - dab.x, py - dab.y), r, settings.hardness) * settings.opacity;
      if (a <= 0) continue;
      const o = (j * rect.w + i) * ch;
      for (let c = 0; c < ch; c++) {
        const old = after[o + c] ?? 0;
        after[o + c] = Math.round(old + ((settings.color[c] ?? 0) - old) * a);
      }
    }
  }
  return { rect, after };
}

/** Dab positions from `from` to `to`; `carry` is the distance already travelled since the
 * last dab, so spacing stays even across pointer events. The start point is not stamped. */
export function dabsAlong(from: Dab, to: Dab, settings: BrushSettings, carry: number): { dabs: Dab[]; carry: number } {
  const length = Math.hypot(to.x - from.x, to.y - from.y);
  const dabs: Dab[] = [];
  if (length === 0) return { dabs, carry };
  let travelled = carry;
  let along = 0;
  for (;;) {
    const pressure = from.pressure + (to.pressure - from.pressure) * (along / length);
    const step = Math.max(1, 2 * dabRadius(settings, pressure) * settings.spacing);
    const need = step - travelled;
    if (along + need > length) break;
    along += need;
    travelled = 0;
    const t = along / length;
    dabs.push({ x: from.x + (to.x - from.x) * t, y: from.y + (to.y - from.y) * t, pressure: from.pressure + (to.pressure - from.pressure) * t });
  }
  return { dabs, carry: travelled + (length - along) };
}
