import type { BertNormalizerSpec } from './schema';
import { isChineseChar, isControl, isNonspacingMark, isWhitespace } from './unicode';

export type Normalizer = (text: string) => string;

/** BertNormalizer, steps in the Rust library's order: clean, CJK padding, accents, lowercase. */
export function createBertNormalizer(spec: BertNormalizerSpec): Normalizer {
  const stripAccents = spec.strip_accents ?? spec.lowercase;
  return (text) => {
    let out = '';
    for (const ch of text) {
      if (spec.clean_text) {
        if (ch === '\u0000' || ch === '\ufffd' || isControl(ch)) continue;
        if (isWhitespace(ch)) {
          out += ' ';
          continue;
        }
      }
      out += spec.handle_chinese_chars && isChineseChar(ch) ? ` ${ch} ` : ch;
    }
    if (stripAccents) {
      let kept = '';
      for (const ch of out.normalize('NFD')) if (!isNonspacingMark(ch)) kept += ch;
      out = kept;
    }
    if (spec.lowercase) {
      // Per code point, like Rust's char::to_lowercase (no context-dependent final sigma).
      let lower = '';
      for (const ch of out) lower += ch.toLowerCase();
      out = lower;
    }
    return out;
  };
}
