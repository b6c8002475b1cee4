import type { WordPieceDecoderSpec } from './schema';

// The cleanup the Rust WordPiece decoder applies to each token after prefixing it with a space.
const CLEANUPS: ReadonlyArray<readonly [string, string]> = [
  [' .', '.'],
  [' ?', '?'],
  [' !', '!'],
  [' ,', ','],
  [" ' ", "'"],
  [" n't", "n't"],
  [" 'm", "'m"],
  [' do not', " don't"],
  [" 's", "'s"],
  [" 've", "'ve"],
  [" 're", "'re"],
];

function cleanup(token: string): string {
  let out = token;
  for (const [from, to] of CLEANUPS) out = out.split(from).join(to);
  return out;
}

/** WordPiece decoder: glue `##` continuations, space-separate the rest, then optional cleanup. */
export function decodeWordPieceTokens(tokens: readonly string[], spec: WordPieceDecoderSpec): string {
  let out = '';
  tokens.forEach((raw, i) => {
    let token = raw;
    if (i !== 0) token = token.startsWith(spec.prefix) ? token.replace(spec.prefix, '') : ` ${token}`;
    out += spec.cleanup ? cleanup(token) : token;
  });
  return out;
}
