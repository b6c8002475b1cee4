import { clampInt, isCoordWord, roundHalfEven, splitSequenceWords } from './coordinates';
import type { DroppedChunk } from './det';

export type Rgb = readonly [number, number, number];

export const MAX_PALETTE_COLORS = 7;

/** What the v0 tokens must reach for RGB 0…255: the vocabulary needs at least 256 bins. */
function assertRgbFits(coordBins: number): void {
  if (coordBins < 256) {
    throw new Error(`color_palette needs at least 256 coordinate bins (v0=0…v0=255); the model has ${coordBins}`);
  }
}

/** 4M color_palette text: `v1=<n> v0=R v0=G v0=B …`, n in 1…7, channels rounded and clamped to 0…255. */
export function serializeColorPalette(colors: readonly Rgb[], options: { readonly coordBins: number }): string {
  assertRgbFits(options.coordBins);
  if (colors.length < 1 || colors.length > MAX_PALETTE_COLORS) {
    throw new Error(`color_palette holds 1…${MAX_PALETTE_COLORS} colours, got ${colors.length}`);
  }
  const channels = colors.flatMap((rgb) => rgb.map((c) => `v0=${clampInt(roundHalfEven(c), 0, 255)}`));
  return [`v1=${colors.length}`, ...channels].join(' ');
}

export interface ParsedColorPalette {
  readonly colors: Rgb[];
  /** The count the model announced with v1=n (undefined if it was missing or invalid). */
  readonly declaredCount: number | undefined;
  readonly dropped: DroppedChunk[];
}

/** Parses palette text robustly: takes complete RGB triples, clamps to 0…255, reports the rest. */
export function parseColorPalette(text: string): ParsedColorPalette {
  const words = splitSequenceWords(text);
  const dropped: DroppedChunk[] = [];
  let declaredCount: number | undefined;
  const first = words[0];
  let i = 0;
  if (first && isCoordWord(first) && first.axis === 1) {
    i = 1;
    if (first.value >= 1 && first.value <= MAX_PALETTE_COLORS) declaredCount = first.value;
    else dropped.push({ text: first.text, reason: `colour count must be 1…${MAX_PALETTE_COLORS}` });
  }
  const limit = declaredCount ?? MAX_PALETTE_COLORS;
  const channels: number[] = [];
  for (; i < words.length; i++) {
    const w = words[i];
    if (!w) continue;
    if (isCoordWord(w) && w.axis === 0) channels.push(clampInt(w.value, 0, 255));
    else dropped.push({ text: w.text, reason: 'not a v0=<channel> token' });
  }
  const colors: Rgb[] = [];
  for (let c = 0; c + 2 < channels.length; c += 3) {
    colors.push([channels[c] ?? 0, channels[c + 1] ?? 0, channels[c + 2] ?? 0]);
  }
  const extraChannels = channels.length % 3;
  if (extraChannels > 0) dropped.push({ text: `${extraChannels} trailing channel(s)`, reason: 'incomplete RGB triple' });
  if (colors.length > limit) {
    dropped.push({ text: `${colors.length - limit} colour(s)`, reason: `more colours than the declared ${limit}` });
    colors.length = limit;
  }
  return { colors, declaredCount, dropped };
}
