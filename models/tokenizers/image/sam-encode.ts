/**
 * Instance masks → what 4M-21 reads as a `sam_instance` condition, before the tokenizer: each
 * instance's box and 64×64 mask crop, and the query points the sequence is written around.
 *
 * The official data pipeline (SAMInstanceTransform / SAMInstanceTokTransform) holds one polygon per
 * instance in picture pixels (get_bbox and get_binary_masks read one array, drawContours draws
 * contour 0, query points are tested against coords[0]): one outline, so an instance is one
 * 8-connected part and a hole in it is inside it. The box is the polygon's extent (inclusive pixel
 * indices, so a 10 px wide instance has xmax − xmin = 9), its vertices are scaled into the crop as
 * trunc((x − xmin) / (xmax − xmin) · 64) and the polygon is filled (boundary included). Here an
 * instance is a bitmap: its holes are filled first (samOutline), then the crop fills the same shape
 * without tracing a polygon: every pixel, every pair of neighbouring pixels and every square (or
 * three-corner triangle) of four neighbours is mapped with the same scaling and filled, boundary
 * included, which is the polygon through the part's boundary pixels. What a painting is to the
 * model (each colour's separate parts its instances, specks left out, at most 64 colours) is the
 * contract's (preload/contract/sam-painting.ts), which the editor's inspector and object brush keep
 * to as well. Pure.
 */
import {
  MAX_SAM_PAINTED_OBJECTS,
  samInstancesFromObjects,
  samMaskBox,
  samMaskProblem,
  type SamMaskInput,
  type SamObjectsRead,
} from '../../../preload/contract/sam-painting';
import type { SamBox } from '../sequence/sam-instance';

/** The tokenizer's mask side (`sam-instance_1k_64`). */
export const SAM_CROP_SIDE = 64;

/**
 * The mask as its outer outline encloses it: holes (background not 4-connected to the picture's
 * edge, the complement of 8-connected parts) filled. The official polygon is the outer contour, so
 * drawContours fills a ring's hole and pointPolygonTest counts a point there as inside.
 */
export function samOutline(m: SamMaskInput): SamMaskInput {
  const { width, height } = m;
  const outside = new Uint8Array(width * height);
  const stack: number[] = [];
  const visit = (i: number): void => {
    if (m.mask[i] || outside[i]) return;
    outside[i] = 1;
    stack.push(i);
  };
  for (let x = 0; x < width; x++) {
    visit(x);
    visit((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    visit(y * width);
    visit(y * width + width - 1);
  }
  while (stack.length) {
    const i = stack.pop() as number;
    const x = i % width;
    if (x > 0) visit(i - 1);
    if (x < width - 1) visit(i + 1);
    if (i >= width) visit(i - width);
    if (i < (height - 1) * width) visit(i + width);
  }
  return { width, height, mask: Uint8Array.from(outside, (o) => 1 - o) };
}

/**
 * The instance's side × side crop (1 inside, holes filled as its outline encloses them), its box as
 * above. Throws on what samMaskProblem refuses (callers check first to name the instance).
 */
export function cropSamMask(instance: SamMaskInput, side = SAM_CROP_SIDE): { box: SamBox; crop: Uint8Array } {
  const problem = samMaskProblem(instance);
  if (problem) throw new RangeError(`cropSamMask: ${problem}`);
  const m = samOutline(instance);
  const box = samMaskBox(m) as SamBox;
  const { xmin, ymin, xmax, ymax } = box;
  const W = xmax - xmin;
  const H = ymax - ymin;
  // The official scaling, in the same float64 order of operations, truncated as numpy's int32 assignment does.
  const fx = (x: number): number => Math.trunc(((x - xmin) / W) * side);
  const fy = (y: number): number => Math.trunc(((y - ymin) / H) * side);
  const on = (x: number, y: number): boolean => x <= xmax && y <= ymax && Boolean(m.mask[y * m.width + x]);
  const crop = new Uint8Array(side * side);
  const fill = (u0: number, u1: number, v0: number, v1: number, inside: (s: number, t: number) => boolean = () => true): void => {
    for (let v = v0; v <= Math.min(v1, side - 1); v++) {
      const t = v1 === v0 ? 0 : (v - v0) / (v1 - v0);
      for (let u = u0; u <= Math.min(u1, side - 1); u++) if (inside(u1 === u0 ? 0 : (u - u0) / (u1 - u0), t)) crop[v * side + u] = 1;
    }
  };
  const line = (ua: number, va: number, ub: number, vb: number): void => {
    // OpenCV's 8-connected line, drawn left to right: one pixel per step of the longer axis, the
    // shorter one stepping when the error goes negative; an end past the crop (a vertex at 64) is
    // first clipped to its edge as cv::clipLine does.
    const clipped = clipLine(ua, va, ub, vb, side - 1);
    if (!clipped) return;
    [ua, va, ub, vb] = clipped;
    if (ub < ua) [ua, va, ub, vb] = [ub, vb, ua, va];
    const sv = vb < va ? -1 : 1;
    const xMajor = ub - ua >= Math.abs(vb - va);
    const major = xMajor ? ub - ua : Math.abs(vb - va);
    const minor = xMajor ? Math.abs(vb - va) : ub - ua;
    let err = major - 2 * minor;
    let u = ua;
    let v = va;
    for (let k = 0; k <= major; k++) {
      if (u >= 0 && v >= 0 && u < side && v < side) crop[v * side + u] = 1;
      const step = err < 0;
      err += -2 * minor + (step ? 2 * major : 0);
      if (xMajor) {
        u += 1;
        if (step) v += sv;
      } else {
        v += sv;
        if (step) u += 1;
      }
    }
  };
  for (let y = ymin; y <= ymax; y++) {
    for (let x = xmin; x <= xmax; x++) {
      const a = on(x, y);
      const b = on(x + 1, y);
      const c = on(x, y + 1);
      const d = on(x + 1, y + 1);
      const [u0, u1, v0, v1] = [fx(x), fx(x + 1), fy(y), fy(y + 1)];
      if (a) fill(u0, u0, v0, v0);
      if (a && b) fill(u0, u1, v0, v0);
      if (a && c) fill(u0, u0, v0, v1);
      // A diagonal step of the outline: the polygon's edge is drawn as an 8-connected line.
      if (a && d) line(u0, v0, u1, v1);
      if (b && c) line(u1, v0, u0, v1);
      const n = Number(a) + Number(b) + Number(c) + Number(d);
      if (n === 4) fill(u0, u1, v0, v1);
      else if (n === 3) {
        // The polygon cuts the square along the diagonal that avoids the missing corner.
        const inside = !d ? (s: number, t: number) => s + t < 1 : !a ? (s: number, t: number) => s + t > 1 : !b ? (s: number, t: number) => s < t : (s: number, t: number) => t < s;
        fill(u0, u1, v0, v1, inside);
      }
    }
  }
  return { box, crop };
}

/**
 * cv::clipLine for ends at most one past the crop's last row or column (the scaled box edge, 64):
 * the end outside is moved onto the edge along the line, truncating as OpenCV does. Undefined when
 * the line lies wholly outside.
 */
function clipLine(x1: number, y1: number, x2: number, y2: number, last: number): [number, number, number, number] | undefined {
  const code = (x: number, y: number): number => (x < 0 ? 1 : 0) + (x > last ? 2 : 0) + (y < 0 ? 4 : 0) + (y > last ? 8 : 0);
  let c1 = code(x1, y1);
  let c2 = code(x2, y2);
  if ((c1 & c2) === 0 && (c1 | c2) !== 0) {
    if (c1 & 12) {
      const a = c1 < 8 ? 0 : last;
      x1 += Math.trunc(((a - y1) * (x2 - x1)) / (y2 - y1));
      y1 = a;
      c1 = (x1 < 0 ? 1 : 0) + (x1 > last ? 2 : 0);
    }
    if (c2 & 12) {
      const a = c2 < 8 ? 0 : last;
      x2 += Math.trunc(((a - y2) * (x2 - x1)) / (y2 - y1));
      y2 = a;
      c2 = (x2 < 0 ? 1 : 0) + (x2 > last ? 2 : 0);
    }
    if ((c1 & c2) === 0 && (c1 | c2) !== 0) {
      if (c1) {
        const a = c1 === 1 ? 0 : last;
        y1 += Math.trunc(((a - x1) * (y2 - y1)) / (x2 - x1));
        x1 = a;
        c1 = 0;
      }
      if (c2) {
        const a = c2 === 1 ? 0 : last;
        y2 += Math.trunc(((a - x2) * (y2 - y1)) / (x2 - x1));
        x2 = a;
        c2 = 0;
      }
    }
  }
  return (c1 | c2) === 0 ? [x1, y1, x2, y2] : undefined;
}

/**
 * A painting of instances (what the CLI's --out sam_instance=masks.png writes, the editor's Objects
 * (SAM) layer): every distinct colour that is neither black nor transparent (alpha < 128) is one
 * object, in order of first appearance (row-major). Throws a RangeError saying what is wrong (no
 * object, too many colours); each object's parts and problems are left to samInstancesFromObjects,
 * with `colours` (#rrggbb) to name them.
 */
export function samMasksFromPainting(img: { readonly width: number; readonly height: number; readonly data: ArrayLike<number> }): { masks: SamMaskInput[]; colours: string[] } {
  const n = img.width * img.height;
  if (img.data.length !== n * 4) throw new RangeError(`${img.data.length} bytes for a ${img.width}×${img.height} RGBA picture`);
  const colours = new Map<number, number>();
  const index = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const [r, g, b, a] = [img.data[i * 4] as number, img.data[i * 4 + 1] as number, img.data[i * 4 + 2] as number, img.data[i * 4 + 3] as number];
    if (a < 128 || (r === 0 && g === 0 && b === 0)) continue;
    const key = (r << 16) | (g << 8) | b;
    let k = colours.get(key);
    if (k === undefined) {
      k = colours.size;
      colours.set(key, k);
      if (colours.size > MAX_SAM_PAINTED_OBJECTS) {
        throw new RangeError(`more than ${MAX_SAM_PAINTED_OBJECTS} colours, so not a painting of objects (each object in one flat colour of its own on black or transparency; a photograph or an antialiased painting has many)`);
      }
    }
    index[i] = k;
  }
  if (colours.size === 0) throw new RangeError('no objects: every pixel is black or transparent (paint each object in a colour of its own)');
  const masks = [...colours.keys()].map((_, k) => ({ width: img.width, height: img.height, mask: Uint8Array.from(index, (v) => (v === k ? 1 : 0)) }));
  return { masks, colours: [...colours.keys()].map((c) => `#${c.toString(16).padStart(6, '0')}`) };
}

/**
 * A painting of instances → its instances (samInstancesFromObjects: each colour's parts, specks
 * left out with a note): what the CLI's --in sam_instance=masks.png and the editor's Objects (SAM)
 * condition both read. Throws a RangeError saying what is wrong, naming an object by its colour
 * ("the object in #rrggbb: …").
 */
export function readSamPainting(img: { readonly width: number; readonly height: number; readonly data: ArrayLike<number> }): SamObjectsRead {
  const { masks, colours } = samMasksFromPainting(img);
  return samInstancesFromObjects(masks, colours.map((c) => `the object in ${c}`));
}

/** A query point and the instances (indices into the input) that contain it, in input order. */
export interface SamQueryChoice {
  readonly y: number;
  readonly x: number;
  readonly members: number[];
}

/** City-block distance of every pixel of `inside` to the nearest pixel outside it (or the picture's edge). */
function depth(inside: Uint8Array, width: number, height: number): Uint16Array {
  const d = new Uint16Array(width * height);
  const big = width + height;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!inside[i]) continue;
      const up = y > 0 ? (d[i - width] as number) : 0;
      const left = x > 0 ? (d[i - 1] as number) : 0;
      d[i] = Math.min(big, up + 1, left + 1);
    }
  }
  for (let y = height - 1; y >= 0; y--) {
    for (let x = width - 1; x >= 0; x--) {
      const i = y * width + x;
      if (!inside[i]) continue;
      const down = y < height - 1 ? (d[i + width] as number) : 0;
      const right = x < width - 1 ? (d[i + 1] as number) : 0;
      d[i] = Math.min(d[i] as number, down + 1, right + 1);
    }
  }
  return d;
}

/** The deepest pixel of `inside` (among equals the nearest the centre of its extent), or undefined when it is empty. */
function deepest(inside: Uint8Array, width: number, height: number): { x: number; y: number } | undefined {
  const box = samMaskBox({ width, height, mask: inside });
  if (!box) return undefined;
  const cx = (box.xmin + box.xmax) / 2;
  const cy = (box.ymin + box.ymax) / 2;
  const d = depth(inside, width, height);
  let best = -1;
  let off = Infinity;
  let at = 0;
  d.forEach((v, i) => {
    if (!inside[i] || v < best) return;
    const x = i % width;
    const y = (i - x) / width;
    const o = (x - cx) ** 2 + (y - cy) ** 2;
    if (v > best || o < off) {
      best = v;
      off = o;
      at = i;
    }
  });
  return { x: at % width, y: Math.floor(at / width) };
}

/**
 * Query points that name every instance at least once. The training data drew 7 random points and
 * listed, per point, every instance containing it; a condition must name each instance, so each
 * instance not yet named gets a point of its own, the deepest pixel of the part no other instance
 * covers (of the whole instance when others cover all of it), and that point lists every instance
 * containing it, as in the data. An instance contains what its outline encloses (samOutline: a
 * point in a ring's hole names the ring, as pointPolygonTest does).
 */
export function samQueryPoints(instances: readonly SamMaskInput[]): SamQueryChoice[] {
  const masks = instances.map(samOutline);
  const first = masks[0];
  if (!first) return [];
  const { width, height } = first;
  const covers = new Uint16Array(width * height);
  for (const m of masks) for (let i = 0; i < width * height; i++) if (m.mask[i]) covers[i] = (covers[i] as number) + 1;
  const named = new Set<number>();
  const points: SamQueryChoice[] = [];
  masks.forEach((m, k) => {
    if (named.has(k)) return;
    const own = new Uint8Array(width * height);
    const all = new Uint8Array(width * height);
    for (let i = 0; i < width * height; i++) {
      if (!m.mask[i]) continue;
      all[i] = 1;
      if (covers[i] === 1) own[i] = 1;
    }
    const p = deepest(own, width, height) ?? deepest(all, width, height);
    if (!p) return;
    const members = masks.flatMap((o, j) => (o.mask[p.y * width + p.x] ? [j] : []));
    members.forEach((j) => named.add(j));
    points.push({ y: p.y, x: p.x, members });
  });
  return points;
}
