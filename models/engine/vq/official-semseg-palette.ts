/**
 * Colours of the official semseg tokenizer's classes: the one palette the decoder draws with, the
 * editor's class brushes paint with and the painted-segmentation reading maps back to classes
 * (nearest colour, `classMapFromRgba`), so it lives here alone.
 *
 * Classes with an obvious colour get a natural one, chosen by hand for this project (sky light blue,
 * grass and trees green, water blue, road grey, sand beige, snow white, people skin-toned …); the
 * rest get colours as far as possible from every colour already given (greedy farthest point over
 * a 16-level RGB grid, in class order). "Far" is the smaller of the RGB distance / 3 and the CIELAB
 * ΔE: RGB distance is what the nearest-colour reading measures (soft brush edges must still land on
 * the right class: every pair is ≥ PALETTE_MIN_DISTANCE apart), ΔE is what the eye sees (RGB alone
 * packs dark colours that look alike).
 */
import type { ClassColor } from '../../tokenizers/image';
import { COCO_PANOPTIC_CLASSES } from './coco-panoptic-classes';

type Rgb = readonly [number, number, number];

/** Hand-chosen colours by COCO panoptic name (their own, not any dataset's palette file). */
const NATURAL: Readonly<Record<string, Rgb>> = {
  person: [226, 160, 132],
  'sky-other-merged': [135, 200, 240],
  'tree-merged': [34, 104, 38],
  'grass-merged': [112, 196, 58],
  'potted plant': [62, 156, 98],
  flower: [232, 92, 172],
  'water-other': [38, 104, 212],
  sea: [18, 52, 140],
  river: [58, 150, 186],
  road: [104, 104, 104],
  'pavement-merged': [166, 166, 160],
  gravel: [140, 130, 112],
  'rock-merged': [74, 70, 66],
  'mountain-merged': [120, 110, 160],
  sand: [228, 208, 150],
  snow: [250, 250, 250],
  'dirt-merged': [124, 88, 48],
  'building-other-merged': [186, 110, 86],
  'wall-brick': [170, 68, 50],
  roof: [118, 38, 34],
  'wall-other-merged': [214, 208, 194],
  'floor-wood': [206, 156, 84],
  banana: [246, 226, 52],
  orange: [250, 146, 24],
  'stop sign': [204, 22, 36],
};

/** The smallest RGB distance between any two of the 134 COCO classes' colours (checked by the tests). */
export const PALETTE_MIN_DISTANCE = 44;

/** sRGB bytes → CIELAB (D65), for the fillers' perceptual spacing. */
function lab(c: Rgb): Rgb {
  const lin = (v: number): number => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
  const [r, g, b] = [lin(c[0]), lin(c[1]), lin(c[2])];
  const f = (t: number): number => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  const fx = f((0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047);
  const fy = f(0.2126729 * r + 0.7151522 * g + 0.072175 * b);
  const fz = f((0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** Squared: min(RGB distance / 3, ΔE)². */
const distance = (a: Rgb, la: Rgb, b: Rgb, lb: Rgb): number =>
  Math.min(((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 + (a[2] - b[2]) ** 2) / 9, (la[0] - lb[0]) ** 2 + (la[1] - lb[1]) ** 2 + (la[2] - lb[2]) ** 2);

const LEVELS = Array.from({ length: 16 }, (_, i) => i * 17);

let cache: Rgb[] = [];

/** Colours for ids 0…count − 1: void black, natural colours by COCO name, then farthest-point fillers. */
function colours(count: number): Rgb[] {
  if (cache.length >= count) return cache.slice(0, count);
  const out: (Rgb | undefined)[] = Array.from({ length: count }, (_, id) => (id === 0 ? [0, 0, 0] : NATURAL[COCO_PANOPTIC_CLASSES[id - 1] ?? '']));
  const candidates: Rgb[] = [];
  for (const r of LEVELS) for (const g of LEVELS) for (const b of LEVELS) candidates.push([r, g, b]);
  const candidateLab = candidates.map(lab);
  // Each candidate's distance to the nearest colour given so far.
  const nearest = new Float64Array(candidates.length).fill(Infinity);
  const take = (c: Rgb): void => {
    const lc = lab(c);
    candidates.forEach((k, i) => {
      const d = distance(k, candidateLab[i] as Rgb, c, lc);
      if (d < (nearest[i] as number)) nearest[i] = d;
    });
  };
  for (const c of out) if (c) take(c);
  for (let id = 0; id < count; id++) {
    if (out[id]) continue;
    let best = 0;
    for (let i = 1; i < candidates.length; i++) if ((nearest[i] as number) > (nearest[best] as number)) best = i;
    const c = candidates[best] as Rgb;
    out[id] = c;
    take(c);
  }
  cache = out as Rgb[];
  return cache.slice();
}

/** Display colours for the official semseg classes (0 = void, c ≥ 1 = COCO panoptic class c − 1). */
export function officialSemsegPalette(classes = COCO_PANOPTIC_CLASSES.length + 1): ClassColor[] {
  return colours(classes).map((color, id) => ({ id, color: [color[0], color[1], color[2]] }));
}
