/**
 * Sequence ids → the words a person (and the box/palette parsers) read. Pure.
 *
 * Tokenizer files flag added tokens `special` for two different reasons: structure ([PAD], [SOS],
 * [EOS], [UNK], the [S_n] sentinels) and vocabulary the tokenizer must never split (the v0=… box
 * coordinates of every model, and in 4M's file the 80 COCO class names). Decoding drops the first
 * kind only: dropping every special token emptied every box and palette of the shipped model.
 */
import type { WordPieceTokenizer } from '../../tokenizers/text';

const STRUCTURAL = /^\[(PAD|UNK|SOS|EOS|S_\d+)\]$/;

/** Whether a token is sequence structure rather than a word ([PAD], [UNK], [SOS], [EOS], [S_n]). */
export function isStructuralToken(token: string): boolean {
  return STRUCTURAL.test(token);
}

/** ids → text without structural tokens; coordinates, class names and other words kept. */
export function sequenceWordsText(text: Pick<WordPieceTokenizer, 'decode' | 'idToToken'>, ids: ArrayLike<number>): string {
  const kept = Array.from(ids).filter((id) => !isStructuralToken(text.idToToken(id) ?? ''));
  return text.decode(kept).trim();
}
