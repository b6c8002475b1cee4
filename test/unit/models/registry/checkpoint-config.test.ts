import { describe, expect, it } from 'vitest';
import { configFromMetadata, parseFmConfig, parseMetadataValue } from '../../../../models/registry/checkpoint-config';

describe('official checkpoint metadata values', () => {
  it.each([
    ['768', 768],
    ['0.0', 0],
    ['1e-06', 1e-6],
    ['True', true],
    ['False', false],
    ['None', null],
    ['SiLU', 'SiLU'],
    ['rgb@224', 'rgb@224'],
    ["['caption', 'det', 'tok_rgb@224']", ['caption', 'det', 'tok_rgb@224']],
    ['[1, 2.5, None, True]', [1, 2.5, null, true]],
    ["{'a': 1, 'b': ['x', \"y\"]}", { a: 1, b: ['x', 'y'] }],
    ['[]', []],
    ["'it''s'", "it's"],
    ['a plain sentence, with a comma', 'a plain sentence, with a comma'],
  ])('%s', (raw, want) => {
    expect(parseMetadataValue(raw)).toEqual(want);
  });

  it('leaves very long values as strings, as the official loader does', () => {
    const long = `[${'1, '.repeat(5000)}1]`;
    expect(parseMetadataValue(long)).toBe(long);
  });

  it('reads a whole 4M-7 style config and validates it', () => {
    const config = configFromMetadata({
      domains_in: "['rgb@224', 'caption', 'tok_rgb@224']", domains_out: "['caption', 'tok_rgb@224']",
      dim: '768', encoder_depth: '12', decoder_depth: '12', num_heads: '12', act_layer: 'SiLU', norm_bias: 'False',
      image_size: '224', patch_size: '16',
    });
    const r = parseFmConfig(config);
    expect(r.ok && r.config.dim).toBe(768);
    expect(r.ok && r.config.act_layer).toBe('SiLU');
    expect(parseFmConfig({ ...config, dim: 'big' })).toEqual({ ok: false, error: 'dim: Invalid input: expected number, received string' });
    expect(parseFmConfig({})).toMatchObject({ ok: false, error: expect.stringMatching(/^domains_in: /) });
  });
});
