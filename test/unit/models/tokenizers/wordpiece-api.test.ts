import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WordPieceTokenizer } from '../../../../models/tokenizers/text';

const path = fileURLToPath(new URL('../../../fixtures/tokenizers/wordpiece-4m-small.tokenizer.json', import.meta.url));
const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

describe('WordPieceTokenizer API', () => {
  const tok = WordPieceTokenizer.fromJson(json);

  it('looks tokens up in both directions, added tokens included', () => {
    expect(tok.tokenToId('[PAD]')).toBe(0);
    expect(tok.tokenToId('[S_1]')).toBe(5);
    expect(tok.idToToken(tok.requireId('dining table'))).toBe('dining table');
    expect(tok.tokenToId('no-such-token')).toBeUndefined();
    expect(() => tok.requireId('[S_999]')).toThrow(/\[S_999\]/);
  });

  it('adds no [SOS]/[EOS] automatically', () => {
    const ids = Array.from(tok.encode('cat'));
    expect(ids).toEqual([tok.requireId('cat')]);
  });
});

describe('tokenizer JSON validation', () => {
  it('names the missing field', () => {
    const broken = { ...json, model: { ...(json.model as object), unk_token: undefined } };
    expect(() => WordPieceTokenizer.fromJson(broken, 'bad.json')).toThrow(/bad\.json[\s\S]*model\.unk_token/);
  });

  it('rejects an unsupported normalizer type', () => {
    const broken = { ...json, normalizer: { type: 'NFKC' } };
    expect(() => WordPieceTokenizer.fromJson(broken)).toThrow(/normalizer\.type/);
  });

  it('rejects a post-processor, which 4M does not use', () => {
    const broken = { ...json, post_processor: { type: 'TemplateProcessing' } };
    expect(() => WordPieceTokenizer.fromJson(broken)).toThrow(/post_processor/);
  });

  it('rejects an unk_token missing from the vocabulary', () => {
    const broken = { ...json, model: { ...(json.model as object), unk_token: '[NOPE]' } };
    expect(() => WordPieceTokenizer.fromJson(broken, 'x.json')).toThrow(/x\.json.*model\.unk_token/);
  });
});
