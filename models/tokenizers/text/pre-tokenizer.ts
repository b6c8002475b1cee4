import { isBertPunctuation, isWhitespace } from './unicode';

/** BertPreTokenizer: split on whitespace (dropped), then isolate every punctuation character. */
export function bertPreTokenize(text: string): string[] {
  const words: string[] = [];
  let current = '';
  for (const ch of text) {
    if (isWhitespace(ch)) {
      if (current) words.push(current);
      current = '';
    } else if (isBertPunctuation(ch)) {
      if (current) words.push(current);
      words.push(ch);
      current = '';
    } else {
      current += ch;
    }
  }
  if (current) words.push(current);
  return words;
}
