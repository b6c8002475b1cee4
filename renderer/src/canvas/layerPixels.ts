// Document planes → RGBA for display. Pure, so the colour rules are unit-tested.
import { UNLABELED_CLASS, type Plane, type Rect, type SegmentationClass } from '../document';

/** RGBA bytes of `rect` of a plane: 1 channel = grey, 3 = RGB; segmentation uses class colours
 * and shows unlabeled pixels (255) transparent so the layers below stay visible. `blackIsClear`:
 * black pixels are shown transparent (the Objects (SAM) layer: masks painted on black, which is
 * "no object", so the picture under it stays visible). */
export function planeToRgba(plane: Plane, rect: Rect, classes: readonly SegmentationClass[] | null, blackIsClear = false): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(rect.w * rect.h * 4);
  const ch = plane.channels;
  for (let j = 0; j < rect.h; j++) {
    for (let i = 0; i < rect.w; i++) {
      const src = ((rect.y + j) * plane.width + rect.x + i) * ch;
      const dst = (j * rect.w + i) * 4;
      if (classes) {
        const index = plane.data[src] ?? UNLABELED_CLASS;
        const color = classes[index]?.color;
        if (index === UNLABELED_CLASS || !color) continue; // transparent
        out[dst] = color[0];
        out[dst + 1] = color[1];
        out[dst + 2] = color[2];
      } else if (ch === 1) {
        const v = plane.data[src] ?? 0;
        out[dst] = v;
        out[dst + 1] = v;
        out[dst + 2] = v;
      } else {
        out[dst] = plane.data[src] ?? 0;
        out[dst + 1] = plane.data[src + 1] ?? 0;
        out[dst + 2] = plane.data[src + 2] ?? 0;
      }
      out[dst + 3] = blackIsClear && out[dst] === 0 && out[dst + 1] === 0 && out[dst + 2] === 0 ? 0 : 255;
    }
  }
  return out;
}

/** "#rrggbb" for a colour triple. */
export function hexColor(rgb: readonly number[]): string {
  return `#${rgb
    .slice(0, 3)
    .map((v) => Math.min(255, Math.max(0, Math.round(v))).toString(16).padStart(2, '0'))
    .join('')}`;
}

export function parseHexColor(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  if (!m) throw new RangeError(`expected a colour like #a1b2c3, got "${hex}"`);
  return [parseInt(m[1] ?? '0', 16), parseInt(m[2] ?? '0', 16), parseInt(m[3] ?? '0', 16)];
}
