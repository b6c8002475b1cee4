import type { SpecialIds } from './vocabulary';

/** Anything that turns text into ids without adding specials (the WordPieceTokenizer does). */
export interface TextIdEncoder {
  encode(text: string): ArrayLike<number>;
}

/** A fully observed caption as 4M trains on it: ids(text) followed by [EOS], at most maxLength ids. */
export function captionIds(encoder: TextIdEncoder, text: string, special: SpecialIds, maxLength = 256): Int32Array {
  const ids = Array.from(encoder.encode(text)).slice(0, Math.max(0, maxLength - 1));
  ids.push(special.eos);
  return Int32Array.from(ids);
}
