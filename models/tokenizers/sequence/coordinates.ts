// Shared helpers for the `vN=<int>` tokens that det and color_palette are written with.

/** Python's round(): halves go to the even neighbour, so serialization matches 4M's data pipeline. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

export function clampInt(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}

export function assertCoordBins(coordBins: number): void {
  if (!Number.isInteger(coordBins) || coordBins < 2) {
    throw new Error(`coordBins must be an integer ≥ 2 (read it from the model manifest), got ${coordBins}`);
  }
}

/** A parsed word: a `v<axis>=<value>` token, or anything else. */
export type SeqWord = { readonly axis: number; readonly value: number; readonly text: string } | { readonly text: string };

const COORD_WORD = /^v(\d)=(\d+)$/;

export function classifyWord(text: string): SeqWord {
  const m = COORD_WORD.exec(text);
  if (!m) return { text };
  return { axis: Number(m[1]), value: Number(m[2]), text };
}

export function isCoordWord(word: SeqWord): word is { axis: number; value: number; text: string } {
  return 'axis' in word;
}

const SPECIAL_WORD = /^\[(S_\d+|EOS|PAD|SOS|UNK)\]$/;

/** Splits decoded model text into words, dropping sentinels and other bracketed specials. */
export function splitSequenceWords(text: string): SeqWord[] {
  return text
    .split(/\s+/)
    .filter((w) => w.length > 0 && !SPECIAL_WORD.test(w))
    .map(classifyWord);
}
