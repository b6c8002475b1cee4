import { AddedTokenMatcher, type Piece } from './added-tokens';
import { decodeWordPieceTokens } from './decoder';
import { createBertNormalizer, type Normalizer } from './normalizer';
import { bertPreTokenize } from './pre-tokenizer';
import { parseTokenizerJson, type TokenizerJson } from './schema';
import { WordPieceModel } from './wordpiece-model';

export interface DecodeOptions {
  /** Drop added tokens flagged `special` ([PAD], [EOS], sentinels, coordinates, …). */
  readonly skipSpecial?: boolean;
}

/**
 * A BERT WordPiece tokenizer loaded from a Hugging Face `tokenizers` JSON, matching the Rust
 * library's encode/decode exactly for this pipeline. No post-processor: encode adds no [SOS]/[EOS].
 */
export class WordPieceTokenizer {
  private readonly normalize: Normalizer;
  private readonly model: WordPieceModel;
  private readonly rawMatcher: AddedTokenMatcher;
  private readonly normalizedMatcher: AddedTokenMatcher;
  private readonly idToTokenMap = new Map<number, string>();
  private readonly tokenToIdMap = new Map<string, number>();
  private readonly specialIds = new Set<number>();
  readonly vocabSize: number;

  constructor(private readonly spec: TokenizerJson, source = 'tokenizer.json') {
    this.normalize = createBertNormalizer(spec.normalizer);
    this.model = new WordPieceModel(spec.model, source);
    for (const [token, id] of this.model.vocab) {
      this.tokenToIdMap.set(token, id);
      this.idToTokenMap.set(id, token);
    }
    // Added tokens take precedence over the model vocabulary in both directions.
    for (const added of spec.added_tokens) {
      this.tokenToIdMap.set(added.content, added.id);
      this.idToTokenMap.set(added.id, added.content);
      if (added.special) this.specialIds.add(added.id);
    }
    const raw = spec.added_tokens.filter((t) => !t.normalized);
    const normalized = spec.added_tokens.filter((t) => t.normalized);
    this.rawMatcher = new AddedTokenMatcher(raw, (t) => t.content);
    this.normalizedMatcher = new AddedTokenMatcher(normalized, (t) => this.normalize(t.content));
    // Like `get_vocab_size(with_added_tokens=True)`: one past the highest id.
    this.vocabSize = Math.max(-1, ...this.idToTokenMap.keys()) + 1;
  }

  /** Validate `raw` (parsed JSON) and build a tokenizer; `source` names the file in errors. */
  static fromJson(raw: unknown, source = 'tokenizer.json'): WordPieceTokenizer {
    return new WordPieceTokenizer(parseTokenizerJson(raw, source), source);
  }

  encode(text: string): Int32Array {
    const ids: number[] = [];
    // Pass 1: tokens matched on the raw text; pass 2: normalized tokens on the normalized rest.
    for (const piece of this.rawMatcher.split(text)) {
      if ('id' in piece) {
        ids.push(piece.id);
        continue;
      }
      const normalizedPieces: Piece[] = this.normalizedMatcher.split(this.normalize(piece.text));
      for (const inner of normalizedPieces) {
        if ('id' in inner) ids.push(inner.id);
        else for (const word of bertPreTokenize(inner.text)) this.model.tokenizeWord(word, ids);
      }
    }
    return Int32Array.from(ids);
  }

  decode(ids: ArrayLike<number>, options: DecodeOptions = {}): string {
    const tokens: string[] = [];
    for (const id of Array.from(ids)) {
      if (options.skipSpecial && this.specialIds.has(id)) continue;
      const token = this.idToTokenMap.get(id);
      if (token !== undefined) tokens.push(token); // unknown ids are skipped, as in the reference
    }
    return decodeWordPieceTokens(tokens, this.spec.decoder);
  }

  tokenToId(token: string): number | undefined {
    return this.tokenToIdMap.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.idToTokenMap.get(id);
  }

  /** Like tokenToId, but throws naming the token; for ids the app cannot work without. */
  requireId(token: string): number {
    const id = this.tokenToIdMap.get(token);
    if (id === undefined) throw new Error(`Tokenizer vocabulary has no token "${token}"`);
    return id;
  }

  isSpecial(id: number): boolean {
    return this.specialIds.has(id);
  }
}
