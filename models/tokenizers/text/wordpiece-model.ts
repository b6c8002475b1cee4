import type { WordPieceModelSpec } from './schema';

/** The WordPiece model: greedy longest-match-first over code points; any miss makes the word [UNK]. */
export class WordPieceModel {
  readonly vocab: ReadonlyMap<string, number>;
  readonly unkId: number;
  private readonly prefix: string;
  private readonly maxChars: number;

  constructor(spec: WordPieceModelSpec, source = 'tokenizer.json') {
    this.vocab = new Map(Object.entries(spec.vocab));
    const unkId = this.vocab.get(spec.unk_token);
    if (unkId === undefined) {
      throw new Error(`Invalid tokenizer file ${source}: model.unk_token "${spec.unk_token}" is not in model.vocab`);
    }
    this.unkId = unkId;
    this.prefix = spec.continuing_subword_prefix;
    this.maxChars = spec.max_input_chars_per_word;
  }

  tokenizeWord(word: string, out: number[]): void {
    const chars = Array.from(word);
    if (chars.length > this.maxChars) {
      out.push(this.unkId);
      return;
    }
    const pieces: number[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found: number | undefined;
      while (start < end) {
        const sub = chars.slice(start, end).join('');
        found = this.vocab.get(start > 0 ? this.prefix + sub : sub);
        if (found !== undefined) break;
        end -= 1;
      }
      if (found === undefined) {
        out.push(this.unkId);
        return;
      }
      pieces.push(found);
      start = end;
    }
    for (const id of pieces) out.push(id);
  }
}
