import { z } from 'zod';

// Shape of a Hugging Face `tokenizers` JSON of the BERT WordPiece kind (what 4M ships).
// Only the pieces 4M uses are accepted; anything else is rejected rather than silently ignored.

export const addedTokenSchema = z.object({
  id: z.number().int().nonnegative(),
  content: z.string().min(1),
  single_word: z.boolean(),
  lstrip: z.boolean(),
  rstrip: z.boolean(),
  normalized: z.boolean(),
  special: z.boolean(),
});

export const bertNormalizerSchema = z.object({
  type: z.literal('BertNormalizer'),
  clean_text: z.boolean(),
  handle_chinese_chars: z.boolean(),
  // null means "strip accents when lowercasing", as in the Rust library.
  strip_accents: z.boolean().nullable(),
  lowercase: z.boolean(),
});

export const wordPieceModelSchema = z.object({
  type: z.literal('WordPiece'),
  unk_token: z.string().min(1),
  continuing_subword_prefix: z.string(),
  max_input_chars_per_word: z.number().int().positive(),
  vocab: z.record(z.string(), z.number().int().nonnegative()),
});

export const wordPieceDecoderSchema = z.object({
  type: z.literal('WordPiece'),
  prefix: z.string(),
  cleanup: z.boolean(),
});

export const tokenizerJsonSchema = z.object({
  added_tokens: z.array(addedTokenSchema),
  normalizer: bertNormalizerSchema,
  pre_tokenizer: z.object({ type: z.literal('BertPreTokenizer') }),
  model: wordPieceModelSchema,
  decoder: wordPieceDecoderSchema,
  // 4M adds no [SOS]/[EOS] automatically, and configures no padding or truncation.
  post_processor: z.null().optional(),
  truncation: z.null().optional(),
  padding: z.null().optional(),
});

export type AddedTokenSpec = z.infer<typeof addedTokenSchema>;
export type BertNormalizerSpec = z.infer<typeof bertNormalizerSchema>;
export type WordPieceModelSpec = z.infer<typeof wordPieceModelSchema>;
export type WordPieceDecoderSpec = z.infer<typeof wordPieceDecoderSchema>;
export type TokenizerJson = z.infer<typeof tokenizerJsonSchema>;

/** Parse and validate; errors name the source, the field path and what was expected. */
export function parseTokenizerJson(raw: unknown, source = 'tokenizer.json'): TokenizerJson {
  const result = tokenizerJsonSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.slice(0, 10).map((issue) => {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    return `  ${field}: ${issue.message}`;
  });
  throw new Error(`Invalid tokenizer file ${source}:\n${lines.join('\n')}`);
}
