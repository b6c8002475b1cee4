// Boxes and palettes as 4M sequence text, for use as conditions. Mirrors serializeDet and
// serializeColorPalette in models/tokenizers/sequence (which the renderer may not import);
// test/unit/renderer/editor pins the two against each other.
import type { Box, Rgb } from '../document';

/** Python's round(): halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const unit = (v: number): number => Math.min(1, Math.max(0, v));

/** `v0=x0 v1=y0 v2=x1 v3=y1 label …`, ordered by distance of the top-left corner to the origin. */
export function boxesToDetText(boxes: readonly Box[], coordBins: number): string {
  const scale = coordBins - 1;
  return [...boxes]
    .filter((b) => b.label.trim() !== '')
    .sort((a, b) => a.x0 * a.x0 + a.y0 * a.y0 - (b.x0 * b.x0 + b.y0 * b.y0))
    .map((b) => `${[b.x0, b.y0, b.x1, b.y1].map((v, axis) => `v${axis}=${roundHalfEven(unit(v) * scale)}`).join(' ')} ${b.label.trim().split(/\s+/).join(' ')}`)
    .join(' ');
}

export const MAX_PALETTE_COLORS = 7;

/** `v1=<n> v0=R v0=G v0=B …` for the first seven swatches. */
export function paletteToText(swatches: readonly Rgb[]): string {
  const colors = swatches.slice(0, MAX_PALETTE_COLORS);
  const channels = colors.flatMap((rgb) => rgb.map((c) => `v0=${Math.min(255, Math.max(0, roundHalfEven(c)))}`));
  return [`v1=${colors.length}`, ...channels].join(' ');
}
