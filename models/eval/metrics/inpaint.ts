/**
 * Inpainting's baseline and mask. The baseline fills every hidden token with the nearest visible one
 * (grid distance; ties go to the first in row-major order): in this world a token equals its left
 * neighbour half the time, so a model that reads the visible tokens must beat plain copying.
 */

/** Hidden tokens (keep = 0) take the id of the nearest kept token. */
export function nearestVisibleFill(tokens: ArrayLike<number>, keep: ArrayLike<number>, grid: number): number[] {
  if (tokens.length !== grid * grid || keep.length !== tokens.length) throw new RangeError(`expected ${grid * grid} tokens and mask entries, got ${tokens.length} and ${keep.length}`);
  const visible: number[] = [];
  for (let i = 0; i < keep.length; i++) if (keep[i] === 1) visible.push(i);
  if (visible.length === 0) throw new RangeError('no visible token to copy from');
  return Array.from(tokens, (t, i) => {
    if (keep[i] === 1) return t;
    const x = i % grid;
    const y = (i - x) / grid;
    let best = Infinity;
    let id = t;
    for (const j of visible) {
      const dx = (j % grid) - x;
      const dy = Math.floor(j / grid) - y;
      const d = dx * dx + dy * dy;
      if (d < best) {
        best = d;
        id = tokens[j] as number;
      }
    }
    return id;
  });
}

/** A keep mask with exactly round(n · visible) ones at seeded random positions. */
export function randomKeepMask(n: number, visible: number, seed: number): (0 | 1)[] {
  const order = Array.from({ length: n }, (_, i) => i);
  const rand = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const mask = new Array<0 | 1>(n).fill(0);
  for (const i of order.slice(0, Math.round(n * visible))) mask[i] = 1;
  return mask;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
