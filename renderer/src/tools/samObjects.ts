// The object brush of the Objects (SAM) layer. The host reads each flat colour of the layer as an
// object and each of its separate parts as an instance of its own (preload/contract/sam-painting.ts),
// so the brush writes exactly one object's colour or black (no blend, which would be a colour of its
// own), each object takes a colour of a fixed palette, the objects are counted as the host counts
// them (parts), and a stroke leaves no speck (a part too small to read: samSpeckProblem). Pure.
import { readRect } from '../document/plane';
import type { Plane, Rgb } from '../document/types';
import { countSamConditionObjects } from '../../../preload/contract/sam-instance';
import { SAM_MIN_BOX_AREA_RATIO, samMaskBox, samMaskParts, samPaintedParts, samSpeckProblem, type SamMaskBox } from '../../../preload/contract/sam-painting';
import { stampHardDab } from './classBrush';
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
 * How many objects the plane gives the model: its colours' separate parts, specks left out, as the
 * host reads them (countSamConditionObjects), so one colour painted in two places counts twice.
 */
export function objectCount(plane: Plane): number {
  return countSamConditionObjects(plane);
}

/** How many of the model's objects (separate parts, specks left out) each colour on the plane is, keyed 0xrrggbb: for the chips (partsOf). */
export function objectParts(plane: Plane): ReadonlyMap<number, number> {
  const parts = new Map<number, number>();
  for (const p of samPaintedParts(plane)) if (!p.speck) parts.set(p.colour, (parts.get(p.colour) ?? 0) + 1);
  return parts;
}

/** How many of the model's objects `colour` is on the plane (its separate parts; 0 when absent). */
export function partsOf(parts: ReadonlyMap<number, number>, colour: Rgb): number {
  return parts.get(key(colour)) ?? 0;
}

/**
 * What New object gives: the palette's next colour after `current` that no object on the layer has
 * (`used`; so pressing it again steps on), or why not: the layer already gives the model `limit`
 * objects (`count`, parts: objectCount), or the palette has no free colour.
 */
export function newObjectColour(used: readonly Rgb[], current: Rgb, limit: number, count: number): { readonly colour: Rgb } | { readonly refused: string } {
  if (count >= limit) return { refused: objectLimitNote(limit) };
  const taken = new Set(used.map(key));
  const at = OBJECT_PALETTE.findIndex((c) => sameColour(c, current));
  for (let k = 1; k <= OBJECT_PALETTE.length; k++) {
    const c = OBJECT_PALETTE[(at + k) % OBJECT_PALETTE.length] as Rgb;
    if (!taken.has(key(c))) return { colour: c };
  }
  return { refused: `every one of the ${OBJECT_PALETTE.length} object colours is on the layer: pick an object to extend it` };
}

/**
 * Why a stroke in `colour` is refused as it starts, on a layer of `used` colours giving the model
 * `count` objects: a new colour at the limit (it can only add one), or null. A stroke of a colour
 * on the layer may still add a part; objectsAdded says so when it ends.
 */
export function objectStrokeRefusal(used: readonly Rgb[], colour: Rgb, limit: number, count: number): string | null {
  if (used.some((c) => sameColour(c, colour)) || count < limit) return null;
  return objectLimitNote(limit);
}

/**
 * Why a finished stroke is taken back: it left the layer giving the model more objects than `limit`
 * (`after`) and more than before it (`before`; a stroke that merges or shrinks is never refused),
 * by painting apart from its object or cutting one in two; or null.
 */
export function objectsAdded(before: number, after: number, limit: number): string | null {
  if (after <= limit || after <= before) return null;
  return `that stroke would make ${after} objects (a separate part of a colour is an object of its own to the model): ${objectLimitNote(limit)}`;
}

/** The note at the limit: how many the model reads, and what the artist can do instead. */
export function objectLimitNote(limit: number): string {
  return `the model reads at most ${limit} object${limit === 1 ? '' : 's'} here: extend an object where it is (a stroke apart from it is another object), or erase one`;
}

/**
 * The smallest brush whose every dab, wherever it falls on a pixel, is an object the model reads:
 * a dab of diameter d is at least d − 2 px across between its outer pixels' centres (the row nearest
 * its centre), and samSpeckProblem wants that squared to reach the training data's smallest box.
 */
export function objectBrushMinSize(width: number, height: number): number {
  return 2 + Math.ceil(Math.sqrt(SAM_MIN_BOX_AREA_RATIO * width * height));
}

/** A hard round dab of `rgb` (black erases): pixels whose centre lies inside take it exactly; null when it falls outside. */
export function stampObjectDab(plane: Plane, x: number, y: number, size: number, rgb: Rgb): RasterEdit | null {
  if (plane.channels !== 3) throw new RangeError('stampObjectDab: expected a three-channel picture');
  return stampHardDab(plane, x, y, size, rgb);
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

/** A part of an object the model cannot read (samSpeckProblem), with why and its pixels. */
export interface ObjectSpeck {
  readonly colour: Rgb;
  readonly box: SamMaskBox;
  readonly problem: string;
  readonly mask: Uint8Array;
}

/**
 * The specks of `colours` on the plane: each separate part of each colour that is a line or whose
 * box is under the training data's smallest (the host leaves those out, and refuses a colour that
 * is nothing else), in order of the colours, then of the parts' first pixels.
 */
export function objectSpecks(plane: Plane, colours: readonly Rgb[]): ObjectSpeck[] {
  const n = plane.width * plane.height;
  return colours.flatMap((c) => {
    const k = key(c);
    const mask = new Uint8Array(n);
    for (let p = 0; p < n; p++) {
      const i = p * 3;
      if ((((plane.data[i] ?? 0) << 16) | ((plane.data[i + 1] ?? 0) << 8) | (plane.data[i + 2] ?? 0)) === k) mask[p] = 1;
    }
    return samMaskParts({ width: plane.width, height: plane.height, mask }).flatMap((part) => {
      const box = samMaskBox(part) as SamMaskBox;
      const problem = samSpeckProblem(box, plane.width, plane.height);
      return problem ? [{ colour: c, box, problem, mask: part.mask as Uint8Array }] : [];
    });
  });
}

/** The plane with the specks' pixels black, as an edit of the rectangle they cover; null when there are none. */
export function clearSpecks(plane: Plane, specks: readonly ObjectSpeck[]): RasterEdit | null {
  if (specks.length === 0) return null;
  const x0 = Math.min(...specks.map((s) => s.box.xmin));
  const y0 = Math.min(...specks.map((s) => s.box.ymin));
  const rect = { x: x0, y: y0, w: Math.max(...specks.map((s) => s.box.xmax)) - x0 + 1, h: Math.max(...specks.map((s) => s.box.ymax)) - y0 + 1 };
  const after = readRect(plane, rect);
  for (let j = 0; j < rect.h; j++) {
    for (let i = 0; i < rect.w; i++) {
      const p = (y0 + j) * plane.width + x0 + i;
      if (specks.some((s) => s.mask[p])) after.fill(0, (j * rect.w + i) * 3, (j * rect.w + i) * 3 + 3);
    }
  }
  return { rect, after };
}
