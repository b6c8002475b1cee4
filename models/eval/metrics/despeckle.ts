/**
 * Specks out of a class map: every 4-connected patch of one class smaller than `minPixels` takes the
 * class most common along its outside border. A judge that calls a handful of pixels a cone in a scene
 * without cones scores that scene's mIoU as if a whole class were missed; specks are not objects a
 * person would see, in real or generated pictures.
 */
import { connectedRegions } from './coherence';

export const MIN_PATCH_PIXELS = 16;

export function despeckle(classes: Uint8Array, w: number, h: number, minPixels = MIN_PATCH_PIXELS): Uint8Array {
  if (classes.length !== w * h) throw new RangeError(`class map has ${classes.length} values for ${w}×${h}`);
  const label = connectedRegions(classes, w, h);
  const size = new Map<number, number>();
  for (const l of label) size.set(l, (size.get(l) ?? 0) + 1);
  const out = Uint8Array.from(classes);
  const votes = new Map<number, Map<number, number>>();
  for (let i = 0; i < w * h; i++) {
    const l = label[i] as number;
    if ((size.get(l) as number) >= minPixels) continue;
    const x = i % w;
    const y = (i - x) / w;
    for (const j of [x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, y > 0 ? i - w : -1, y < h - 1 ? i + w : -1]) {
      if (j < 0 || label[j] === l) continue;
      let v = votes.get(l);
      if (!v) votes.set(l, (v = new Map()));
      const c = classes[j] as number;
      v.set(c, (v.get(c) ?? 0) + 1);
    }
  }
  const replacement = new Map<number, number>();
  for (const [l, v] of votes) {
    let best = -1;
    let count = -1;
    for (const [c, n] of v) if (n > count || (n === count && c < best)) [best, count] = [c, n];
    replacement.set(l, best);
  }
  for (let i = 0; i < w * h; i++) {
    const r = replacement.get(label[i] as number);
    if (r !== undefined) out[i] = r;
  }
  return out;
}
