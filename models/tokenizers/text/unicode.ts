// Character classes with the same meaning as the Rust `char` methods that `tokenizers` uses.
// Each function takes a single code point as a string (iterate strings with for..of).

const WHITE_SPACE = /^\p{White_Space}$/u;
const OTHER = /^\p{C}$/u; // Rust `is_other`: Cc, Cf, Cs, Co, Cn
const PUNCTUATION = /^\p{P}$/u;
const ASCII_PUNCTUATION = /^[!-/:-@[-`{-~]$/;
const NONSPACING_MARK = /^\p{Mn}$/u;
const ALPHANUMERIC = /^[\p{Alphabetic}\p{N}]$/u;

export function isWhitespace(ch: string): boolean {
  return WHITE_SPACE.test(ch);
}

/** BERT's notion of control: category C*, except tab, newline and carriage return. */
export function isControl(ch: string): boolean {
  if (ch === '\t' || ch === '\n' || ch === '\r') return false;
  return OTHER.test(ch);
}

/** BERT punctuation: ASCII punctuation (includes symbols like `$+<=>^|`) or Unicode P*. */
export function isBertPunctuation(ch: string): boolean {
  return ASCII_PUNCTUATION.test(ch) || PUNCTUATION.test(ch);
}

export function isNonspacingMark(ch: string): boolean {
  return NONSPACING_MARK.test(ch);
}

/** What counts as "inside a word" for single_word added tokens. */
export function isWordChar(ch: string): boolean {
  return ch === '_' || ALPHANUMERIC.test(ch);
}

const CJK_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x4e00, 0x9fff],
  [0x3400, 0x4dbf],
  [0x20000, 0x2a6df],
  [0x2a700, 0x2b73f],
  [0x2b740, 0x2b81f],
  [0x2b920, 0x2ceaf],
  [0xf900, 0xfaff],
  [0x2f800, 0x2fa1f],
];

export function isChineseChar(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  return CJK_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi);
}
