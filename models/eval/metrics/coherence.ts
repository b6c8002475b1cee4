/**
 * Region colour coherence: how much of each region of a picture is one colour, as the world paints
 * it. A region is a connected patch of one class in a layout (the condition's, or the judge's reading
 * of the picture); its pixels within RGB distance RADIUS of the region's median colour count as
 * coherent. Pixels within BORDER px of another class are left out (anti-aliasing and the tokenizer's
 * blur live there). Objects and background (sky, ground) are counted apart: a clean sky and ground
 * can hide confetti objects in a whole-picture number.
 */
import type { RgbaImage } from '../../tokenizers/image';

export const RADIUS = 40;
export const BORDER = 2;
/** Regions with fewer interior pixels have no meaningful median and are skipped. */
export const MIN_REGION_PIXELS = 20;

export interface Tally {
  readonly coherent: number;
  readonly pixels: number;
}

export interface Coherence {
  readonly objects: Tally;
  readonly background: Tally;
}

/** Share of coherent pixels, undefined where nothing was counted (a scene without objects). */
export function share(t: Tally): number | undefined {
  return t.pixels > 0 ? t.coherent / t.pixels : undefined;
}

/**
 * `layout` holds a class id per pixel (row-major, rgb.width × rgb.height); `background` lists the
 * class ids that are not objects.
 */
export function regionCoherence(rgb: RgbaImage, layout: ArrayLike<number>, background: readonly number[], radius = RADIUS, border = BORDER): Coherence {
  const { width: w, height: h } = rgb;
  if (layout.length !== w * h) throw new RangeError(`layout has ${layout.length} values for a ${w}×${h} picture`);
  const interior = interiorMask(layout, w, h, border);
  const regions = connectedRegions(layout, w, h);
  const members = new Map<number, number[]>();
  for (let i = 0; i < w * h; i++) {
    if (!interior[i]) continue;
    const r = regions[i] as number;
    let list = members.get(r);
    if (!list) members.set(r, (list = []));
    list.push(i);
  }
  const obj = { coherent: 0, pixels: 0 };
  const bg = { coherent: 0, pixels: 0 };
  for (const pixels of members.values()) {
    if (pixels.length < MIN_REGION_PIXELS) continue;
    const into = background.includes(layout[pixels[0] as number] as number) ? bg : obj;
    const med = [0, 1, 2].map((c) => median(pixels.map((i) => rgb.data[i * 4 + c] as number)));
    for (const i of pixels) {
      const d = Math.hypot((rgb.data[i * 4] as number) - (med[0] as number), (rgb.data[i * 4 + 1] as number) - (med[1] as number), (rgb.data[i * 4 + 2] as number) - (med[2] as number));
      if (d <= radius) into.coherent++;
    }
    into.pixels += pixels.length;
  }
  return { objects: obj, background: bg };
}

/** 1 where every pixel within `border` (Chebyshev distance) has the same class. */
export function interiorMask(layout: ArrayLike<number>, w: number, h: number, border: number): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const c = layout[y * w + x];
      let same = 1;
      for (let dy = -border; dy <= border && same; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -border; dx <= border; dx++) {
          const xx = x + dx;
          if (xx >= 0 && xx < w && layout[yy * w + xx] !== c) {
            same = 0;
            break;
          }
        }
      }
      out[y * w + x] = same;
    }
  }
  return out;
}

/** Region label per pixel: 4-connected patches of one class. */
export function connectedRegions(layout: ArrayLike<number>, w: number, h: number): Int32Array {
  const label = new Int32Array(w * h).fill(-1);
  const stack: number[] = [];
  let next = 0;
  for (let s = 0; s < w * h; s++) {
    if (label[s] !== -1) continue;
    const c = layout[s];
    label[s] = next;
    stack.push(s);
    while (stack.length > 0) {
      const i = stack.pop() as number;
      const x = i % w;
      const y = (i - x) / w;
      for (const j of [x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, y > 0 ? i - w : -1, y < h - 1 ? i + w : -1]) {
        if (j >= 0 && label[j] === -1 && layout[j] === c) {
          label[j] = next;
          stack.push(j);
        }
      }
    }
    next++;
  }
  return label;
}

/** Median (mean of the two middle values for an even count, as numpy.median). */
function median(values: number[]): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  return n % 2 === 1 ? (sorted[(n - 1) / 2] as number) : ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2;
}

/**
 * The layout with every object class folded into one id (`objectId`), for regions read by the judge
 * from a picture: the judge splits a multicoloured blob into patches of different kinds, and each
 * patch alone can look coherent; a region is then the whole object as a person would outline it.
 */
export function foldObjects(layout: ArrayLike<number>, background: readonly number[], objectId = 255): Uint8Array {
  return Uint8Array.from(layout, (c) => (background.includes(c) ? c : objectId));
}
