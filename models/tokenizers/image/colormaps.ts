/**
 * Colour maps for previews: turbo for depth (over log depth, so near detail is
 * visible), class colours for semantic maps, and the nearest-class lookup that
 * turns a painted semseg sketch back into class ids.
 */

/** Turbo (Mikhailov 2019) via its published polynomial fit; t in [0, 1]. */
export function turbo(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t));
  const r = 0.13572138 + x * (4.6153926 + x * (-42.66032258 + x * (132.13108234 + x * (-152.94239396 + x * 59.28637943))));
  const g = 0.09140261 + x * (2.19418839 + x * (4.84296658 + x * (-14.18503333 + x * (4.27729857 + x * 2.82956604))));
  const b = 0.1066733 + x * (12.64194608 + x * (-60.58204836 + x * (110.36276771 + x * (-89.90310912 + x * 27.34824973))));
  return [byte(r), byte(g), byte(b)];
}

/** Depth range the tokenizer was trained on (manifest: clamped to 0.5..60 m). */
export const DEPTH_RANGE: readonly [number, number] = [0.5, 60];

/** Log-depth in [0, 1]: 0 = nearest. */
export function logDepthUnit(metres: number, range: readonly [number, number] = DEPTH_RANGE): number {
  const [lo, hi] = range;
  const m = Math.min(hi, Math.max(lo, metres));
  return Math.log(m / lo) / Math.log(hi / lo);
}

/** Inverse of logDepthUnit. */
export function depthFromUnit(u: number, range: readonly [number, number] = DEPTH_RANGE): number {
  const [lo, hi] = range;
  return lo * Math.exp(Math.min(1, Math.max(0, u)) * Math.log(hi / lo));
}

export interface ClassColor {
  readonly id: number;
  readonly color: readonly [number, number, number];
}

/** Nearest class by squared RGB distance (ties to the lower id). */
export function nearestClass(r: number, g: number, b: number, classes: readonly ClassColor[]): number {
  let best = classes[0]?.id ?? 0;
  let bestD = Infinity;
  for (const c of classes) {
    const d = (r - c.color[0]) ** 2 + (g - c.color[1]) ** 2 + (b - c.color[2]) ** 2;
    if (d < bestD) {
      bestD = d;
      best = c.id;
    }
  }
  return best;
}

function byte(v: number): number {
  return Math.min(255, Math.max(0, Math.round(v * 255)));
}
