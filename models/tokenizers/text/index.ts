export { WordPieceTokenizer, type DecodeOptions } from './wordpiece-tokenizer';
export { parseTokenizerJson, type TokenizerJson, type AddedTokenSpec } from './schema';
