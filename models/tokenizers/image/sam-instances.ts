/**
 * From decoded SAM-instance masks to a picture of instances (the steps of 4M's
 * `decode_sam_instances`, reference §2.3): order by box area (largest first, so smaller instances
 * are painted over larger ones), drop low-contrast masks, merge duplicates (soft Dice > 0.8 and box
 * IoU > 0.9 against a group's first member), average each group's masks and boxes, resize the
 * 64×64 mask onto its box with OpenCV's bicubic kernel and threshold at 0.5. Pure: the tokenizer
 * call that turns 16 tokens into a mask lives in engine/vq/official-sam-instance.ts.
 */
import type { SamBox } from '../sequence/sam-instance';

/** A decoded instance: its box in picture pixels and its mask probabilities (sigmoid of the logits). */
export interface SamMaskCandidate {
  readonly box: SamBox;
  /** side × side probabilities, row-major. */
  readonly probs: Float32Array;
}

/** One instance after merging duplicates. */
export interface SamInstanceMask {
  /** Averaged box, truncated to integers as the official code does. */
  readonly box: SamBox;
  /** The averaged side × side probabilities. */
  readonly probs: Float32Array;
  /** How many decoded candidates were merged into it. */
  readonly members: number;
}

export interface SamRender {
  readonly width: number;
  readonly height: number;
  /** 0: no instance; k: the k-th instance (1-based, in paint order). Later instances cover earlier ones. */
  readonly index: Uint16Array;
}

/** Masks whose probabilities span less than this are dropped (the official contrast filter). */
export const MIN_MASK_CONTRAST = 0.9;
const DICE_DUPLICATE = 0.8;
const IOU_DUPLICATE = 0.9;

const area = (b: SamBox): number => (b.xmax - b.xmin) * (b.ymax - b.ymin);

function boxIou(a: SamBox, b: SamBox): number {
  const iw = Math.max(0, Math.min(a.xmax, b.xmax) - Math.max(a.xmin, b.xmin));
  const ih = Math.max(0, Math.min(a.ymax, b.ymax) - Math.max(a.ymin, b.ymin));
  const inter = iw * ih;
  return inter / (area(a) + area(b) - inter);
}

/** Soft Dice with the official +0.01 smoothing. */
function softDice(a: Float32Array, b: Float32Array): number {
  let both = 0;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    both += x * y;
    sa += x;
    sb += y;
  }
  return (2 * (both + 0.01)) / (sa + sb + 0.01);
}

/** Orders candidates largest box first (stable for equal areas). */
export function byAreaDescending<T extends { readonly box: SamBox }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => area(b.box) - area(a.box));
}

/**
 * Filters and merges candidates given largest box first (see byAreaDescending): each survivor
 * joins the first group whose first member it duplicates, or starts a group.
 */
export function mergeSamCandidates(ordered: readonly SamMaskCandidate[]): SamInstanceMask[] {
  const groups: SamMaskCandidate[][] = [];
  for (const c of ordered) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of c.probs) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (hi - lo < MIN_MASK_CONTRAST) continue;
    const home = groups.find((g) => {
      const first = g[0] as SamMaskCandidate;
      return softDice(first.probs, c.probs) > DICE_DUPLICATE && boxIou(first.box, c.box) > IOU_DUPLICATE;
    });
    if (home) home.push(c);
    else groups.push([c]);
  }
  return groups.map((g) => {
    const n = g.length;
    const probs = new Float32Array((g[0] as SamMaskCandidate).probs.length);
    for (const c of g) c.probs.forEach((v, i) => (probs[i] = (probs[i] as number) + v));
    for (let i = 0; i < probs.length; i++) probs[i] = (probs[i] as number) / n;
    const mean = (k: keyof SamBox): number => Math.trunc(g.reduce((s, c) => s + c.box[k], 0) / n);
    return { box: { xmin: mean('xmin'), ymin: mean('ymin'), xmax: mean('xmax'), ymax: mean('ymax') }, probs, members: n };
  });
}

/** OpenCV's cubic weights (A = −0.75) for a fractional offset t in [0, 1). */
function cubicWeights(t: number): [number, number, number, number] {
  const A = -0.75;
  const w0 = ((A * (t + 1) - 5 * A) * (t + 1) + 8 * A) * (t + 1) - 4 * A;
  const w1 = ((A + 2) * t - (A + 3)) * t * t + 1;
  const w2 = ((A + 2) * (1 - t) - (A + 3)) * (1 - t) * (1 - t) + 1;
  return [w0, w1, w2, 1 - w0 - w1 - w2];
}

/** Per output index: the four clamped source indices and their weights (half-pixel centres). */
function cubicTaps(src: number, dst: number): { idx: Int32Array; w: Float64Array } {
  const idx = new Int32Array(dst * 4);
  const w = new Float64Array(dst * 4);
  const scale = src / dst;
  for (let d = 0; d < dst; d++) {
    const f = Math.fround((d + 0.5) * scale - 0.5);
    const s = Math.floor(f);
    const ws = cubicWeights(f - s);
    for (let k = 0; k < 4; k++) {
      idx[d * 4 + k] = Math.min(src - 1, Math.max(0, s - 1 + k));
      w[d * 4 + k] = ws[k] as number;
    }
  }
  return { idx, w };
}

/** Bicubic resize as cv2.resize(INTER_CUBIC): separable, rows first, borders replicated. */
export function resizeCubic(src: Float32Array, sw: number, sh: number, dw: number, dh: number): Float32Array {
  if (src.length !== sw * sh) throw new RangeError(`resizeCubic: ${src.length} values for ${sw}×${sh}`);
  const tx = cubicTaps(sw, dw);
  const ty = cubicTaps(sh, dh);
  const rows = new Float64Array(sh * dw);
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < dw; x++) {
      let v = 0;
      for (let k = 0; k < 4; k++) v += (src[y * sw + (tx.idx[x * 4 + k] as number)] as number) * (tx.w[x * 4 + k] as number);
      rows[y * dw + x] = v;
    }
  }
  const out = new Float32Array(dw * dh);
  for (let y = 0; y < dh; y++) {
    for (let x = 0; x < dw; x++) {
      let v = 0;
      for (let k = 0; k < 4; k++) v += (rows[(ty.idx[y * 4 + k] as number) * dw + x] as number) * (ty.w[y * 4 + k] as number);
      out[y * dw + x] = v;
    }
  }
  return out;
}

/** One instance's binary mask on the picture: its box, clipped to the picture, and the pixels in it. */
export interface PlacedMask {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** width × height, 1 inside the instance. */
  readonly mask: Uint8Array;
}

/** The mask resized onto its box (threshold 0.5), clipped to a width × height picture; undefined when nothing is inside it. */
export function placeSamMask(inst: SamInstanceMask, side: number, width: number, height: number): PlacedMask | undefined {
  const { xmin, ymin, xmax, ymax } = inst.box;
  const bw = xmax - xmin;
  const bh = ymax - ymin;
  if (bw <= 0 || bh <= 0 || xmin >= width || ymin >= height || xmin < 0 || ymin < 0) return undefined;
  const up = resizeCubic(inst.probs, side, side, bw, bh);
  const w = Math.min(xmax, width) - xmin;
  const h = Math.min(ymax, height) - ymin;
  const mask = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) mask[y * w + x] = (up[y * bw + x] as number) > 0.5 ? 1 : 0;
  return { x: xmin, y: ymin, width: w, height: h, mask };
}

/** Paints instances in order onto an index map (later ones cover earlier ones). */
export function renderSamInstances(instances: readonly SamInstanceMask[], side: number, width: number, height: number): SamRender {
  const index = new Uint16Array(width * height);
  instances.forEach((inst, k) => {
    const p = placeSamMask(inst, side, width, height);
    if (!p) return;
    for (let y = 0; y < p.height; y++) {
      for (let x = 0; x < p.width; x++) if (p.mask[y * p.width + x]) index[(p.y + y) * width + p.x + x] = k + 1;
    }
  });
  return { width, height, index };
}

/**
 * n distinct colours from a seed: hues a golden angle apart from a seed-chosen start, alternating
 * lightness, so neighbouring instance numbers never look alike.
 */
export function samPalette(n: number, seed = 0): [number, number, number][] {
  let s = (seed ^ 0x9e3779b9) >>> 0;
  s = Math.imul(s ^ (s >>> 16), 0x85ebca6b) >>> 0;
  s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35) >>> 0;
  const start = ((s ^ (s >>> 16)) >>> 0) / 4294967296;
  const out: [number, number, number][] = [];
  for (let k = 0; k < n; k++) {
    const h = (start + k * 0.381966) % 1;
    const l = k % 2 === 0 ? 0.55 : 0.42;
    const c = (1 - Math.abs(2 * l - 1)) * 0.85;
    const hp = h * 6;
    const x = c * (1 - Math.abs((hp % 2) - 1));
    const [r, g, b] = hp < 1 ? [c, x, 0] : hp < 2 ? [x, c, 0] : hp < 3 ? [0, c, x] : hp < 4 ? [0, x, c] : hp < 5 ? [x, 0, c] : [c, 0, x];
    const m = l - c / 2;
    out.push([Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)]);
  }
  return out;
}

/** The index map as RGBA: instances in palette colours, everything else transparent. */
export function paintSamRender(render: SamRender, seed = 0): { width: number; height: number; data: Uint8Array } {
  let count = 0;
  for (const v of render.index) if (v > count) count = v;
  const palette = samPalette(count, seed);
  const data = new Uint8Array(render.width * render.height * 4);
  render.index.forEach((v, i) => {
    if (v === 0) return;
    const [r, g, b] = palette[v - 1] as [number, number, number];
    data.set([r, g, b, 255], i * 4);
  });
  return { width: render.width, height: render.height, data };
}

/**
 * Run lengths of a binary mask in row-major order, starting with a run of zeros (0 when the mask
 * starts inside): COCO's uncompressed RLE counts, but row-major.
 */
export function runLengths(mask: ArrayLike<number>): number[] {
  const counts: number[] = [];
  let current = 0;
  let run = 0;
  for (let i = 0; i < mask.length; i++) {
    const v = mask[i] ? 1 : 0;
    if (v !== current) {
      counts.push(run);
      current = v;
      run = 0;
    }
    run += 1;
  }
  counts.push(run);
  return counts;
}
