/**
 * A soft version of a 0/1 (or 0/255) pixel mask: a box blur of `radius` pixels each way (separable,
 * run twice for a smooth ramp), so a regenerated region's edge fades across the token seam instead of
 * cutting along it. 0..1 per pixel; pixels farther than 2·radius from the edge keep 0 or 1 exactly.
 * Shared by the editor's compositing and `4m generate --mask`, so both give the same seam.
 */
export function featherMask(mask: ArrayLike<number>, width: number, height: number, radius: number): Float32Array {
  let a: Float32Array = Float32Array.from(mask, (v) => (v ? 1 : 0));
  const r = Math.max(0, Math.round(radius));
  if (r === 0) return a;
  const blur = (src: Float32Array, horizontal: boolean): Float32Array => {
    const out = new Float32Array(src.length);
    const n = horizontal ? width : height;
    const lines = horizontal ? height : width;
    for (let line = 0; line < lines; line++) {
      const at = (i: number): number => (horizontal ? line * width + i : i * width + line);
      for (let i = 0; i < n; i++) {
        let sum = 0;
        // Edges of the picture repeat the border pixel, so a region touching it stays whole.
        for (let k = -r; k <= r; k++) sum += src[at(Math.min(n - 1, Math.max(0, i + k)))] ?? 0;
        out[at(i)] = sum / (2 * r + 1);
      }
    }
    return out;
  };
  for (let pass = 0; pass < 2; pass++) a = blur(blur(a, true), false);
  return a;
}
