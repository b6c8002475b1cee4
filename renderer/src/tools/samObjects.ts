// The object brush of the Objects (SAM) layer. The host reads each flat colour of the layer as one
// object (readSamPainting), so the brush writes exactly one object's colour or black (no blend, which
// would be a colour of its own), each object takes a colour of a fixed palette, and a stroke leaves no
// object the model cannot read (a speck, a line: samMaskProblem). Pure.
import { readRect } from '../document/plane';
import { clipRect, isEmptyRect, rectFromBounds } from '../document/rect';
import type { Plane, Rgb } from '../document/types';
import { SAM_MIN_BOX_AREA_RATIO, samMaskProblem } from '../../../preload/contract/sam-painting';
import type { RasterEdit } from './raster';

/**
 * Object colours, in the order New object hands them out: bright, far apart, none near black (the
 * background). More than any model reads (4M-21: 12).
 */
export const OBJECT_PALETTE: readonly Rgb[] = [
  [230, 25, 75], [60, 180, 75], [255, 225, 25], [67, 99, 216], [245, 130, 49], [145, 30, 180], [66, 212, 244], [240, 50, 230],
  [191, 239, 69], [250, 190, 212], [70, 153, 144], [220, 190, 255], [154, 99, 36], [255, 250, 200], [128, 0, 0], [170, 255, 195],
  [128, 128, 0], [255, 216, 177], [0, 0, 117], [169, 169, 169],
];

const key = (c: Rgb): number => (c[0] << 16) | (c[1] << 8) | c[2];
const isBlack = (c: Rgb): boolean => c[0] === 0 && c[1] === 0 && c[2] === 0;

/** The objects on a 3-channel plane: its distinct colours other than black, in order of first appearance (row-major). */
export function objectColours(plane: Plane): Rgb[] {
  const seen = new Map<number, Rgb>();
  const d = plane.data;
  for (let i = 0; i + 2 < d.length; i += plane.channels) {
    const c: Rgb = [d[i] ?? 0, d[i + 1] ?? 0, d[i + 2] ?? 0];
    if (!isBlack(c) && !seen.has(key(c))) seen.set(key(c), c);
  }
  return [...seen.values()];
}

export function sameColour(a: Rgb, b: Rgb): boolean {
  return key(a) === key(b);
}

/**
 * What New object gives: the palette's next colour after `current` that no object on the layer has
 * (so pressing it again steps on), or why not: the layer already holds `limit` objects, or the
 * palette has no free colour.
 */
export function newObjectColour(used: readonly Rgb[], current: Rgb, limit: number): { readonly colour: Rgb } | { readonly refused: string } {
  if (used.length >= limit) return { refused: objectLimitNote(limit) };
  const taken = new Set(used.map(key));
  const at = OBJECT_PALETTE.findIndex((c) => sameColour(c, current));
  for (let k = 1; k <= OBJECT_PALETTE.length; k++) {
    const c = OBJECT_PALETTE[(at + k) % OBJECT_PALETTE.length] as Rgb;
    if (!taken.has(key(c))) return { colour: c };
  }
  return { refused: `every one of the ${OBJECT_PALETTE.length} object colours is on the layer: pick an object to extend it` };
}

/** Why a stroke in `colour` is refused on a layer holding `used` (a new object past the limit), or null. */
export function objectStrokeRefusal(used: readonly Rgb[], colour: Rgb, limit: number): string | null {
  if (used.some((c) => sameColour(c, colour)) || used.length < limit) return null;
  return objectLimitNote(limit);
}

/** The note at the limit: how many the model reads, and what the artist can do instead. */
export function objectLimitNote(limit: number): string {
  return `the model reads at most ${limit} object${limit === 1 ? '' : 's'} here: pick an object's colour to extend it, or erase one`;
}

/**
 * The smallest brush whose every dab, wherever it falls on a pixel, is an object the model reads:
 * a dab of diameter d is at least d − 2 px across between its outer pixels' centres (the row nearest
 * its centre), and samMaskProblem wants that squared to reach the training data's smallest box.
 */
export function objectBrushMinSize(width: number, height: number): number {
  return 2 + Math.ceil(Math.sqrt(SAM_MIN_BOX_AREA_RATIO * width * height));
}

/** A hard round dab of `rgb` (black erases): pixels whose centre lies inside take it exactly; null when it falls outside. */
export function stampObjectDab(plane: Plane, x: number, y: number, size: number, rgb: Rgb): RasterEdit | null {
  if (plane.channels !== 3) throw new RangeError('stampObjectDab: expected a three-channel picture');
  const r = Math.max(0.5, size / 2);
  const rect = clipRect(rectFromBounds(x - r, y - r, x + r, y + r), plane.width, plane.height);
  if (isEmptyRect(rect)) return null;
  const after = readRect(plane, rect);
  for (let j = 0; j < rect.h; j++) {
    for (let i = 0; i < rect.w; i++) {
      if (Math.hypot(rect.x + i + 0.5 - x, rect.y + j + 0.5 - y) <= r) after.set(rgb, (j * rect.w + i) * 3);
    }
  }
  return { rect, after };
}

/** The objects whose pixels changed between `before` (the plane's bytes when a stroke began) and `plane`: what the stroke painted, painted over or erased. */
export function touchedColours(before: Uint8Array, plane: Plane): Rgb[] {
  const seen = new Map<number, Rgb>();
  const d = plane.data;
  for (let i = 0; i + 2 < d.length; i += 3) {
    if (before[i] === d[i] && before[i + 1] === d[i + 1] && before[i + 2] === d[i + 2]) continue;
    for (const c of [[before[i] ?? 0, before[i + 1] ?? 0, before[i + 2] ?? 0], [d[i] ?? 0, d[i + 1] ?? 0, d[i + 2] ?? 0]] as Rgb[]) {
      if (!isBlack(c)) seen.set(key(c), c);
    }
  }
  return [...seen.values()];
}

/** Each of `colours` that is on the plane but the model cannot read (samMaskProblem: a speck or a line), with why. */
export function objectSpecks(plane: Plane, colours: readonly Rgb[]): { readonly colour: Rgb; readonly problem: string }[] {
  const n = plane.width * plane.height;
  return colours.flatMap((c) => {
    const k = key(c);
    const mask = new Uint8Array(n);
    let any = false;
    for (let p = 0; p < n; p++) {
      const i = p * 3;
      if ((((plane.data[i] ?? 0) << 16) | ((plane.data[i + 1] ?? 0) << 8) | (plane.data[i + 2] ?? 0)) !== k) continue;
      mask[p] = 1;
      any = true;
    }
    const problem = any ? samMaskProblem({ width: plane.width, height: plane.height, mask }) : undefined;
    return problem ? [{ colour: c, problem }] : [];
  });
}

/** The plane with every pixel of `colours` black, as an edit of the rectangle they cover; null when none is there. */
export function clearObjects(plane: Plane, colours: readonly Rgb[]): RasterEdit | null {
  const keys = new Set(colours.map(key));
  const W = plane.width;
  let x0 = W;
  let y0 = plane.height;
  let x1 = -1;
  let y1 = -1;
  const at = (p: number): number => (((plane.data[p * 3] ?? 0) << 16) | ((plane.data[p * 3 + 1] ?? 0) << 8) | (plane.data[p * 3 + 2] ?? 0));
  for (let p = 0; p < W * plane.height; p++) {
    if (!keys.has(at(p))) continue;
    const x = p % W;
    const y = (p - x) / W;
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  if (x1 < 0) return null;
  const rect = { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
  const after = readRect(plane, rect);
  for (let j = 0; j < rect.h; j++) {
    for (let i = 0; i < rect.w; i++) if (keys.has(at((y0 + j) * W + x0 + i))) after.fill(0, (j * rect.w + i) * 3, (j * rect.w + i) * 3 + 3);
  }
  return { rect, after };
}
