/** The official modality table for the released configs, and tensor checks that name what is wrong. */
import { describe, expect, it } from 'vitest';
import { checkOfficialTensors, officialModalityTable } from '../../../../../models/engine/fm/official-modalities';
import type { SafetensorsHeader } from '../../../../../models/engine/fm/safetensors';
import type { FmCheckpointConfig } from '../../../../../models/registry/checkpoint-config';
import { REFERENCE_TOKENS, REFERENCE_VOCAB, referenceTokensProblem } from '../../../../../preload/contract/reference';

const base = { dim: 64, encoder_depth: 1, decoder_depth: 1, num_heads: 4, image_size: 224, patch_size: 16 };
const mod7 = ['rgb@224', 'tok_rgb@224', 'tok_depth@224', 'tok_semseg@224', 'tok_normal@224', 'tok_clip@224', 'caption', 'det'];

function header(entries: Record<string, number[]>): SafetensorsHeader {
  return { file: '/m/model.safetensors', fileSize: 0, metadata: {}, entries: new Map(Object.entries(entries).map(([k, shape]) => [k, { dtype: 'F32', shape, begin: 0, end: 0 }])) } as unknown as SafetensorsHeader;
}

describe('officialModalityTable', () => {
  it('4M-7: sorted, rgb@224 pixels in only, the rest tokens in and out', () => {
    const t = officialModalityTable({ ...base, domains_in: mod7, domains_out: mod7.slice(1) } as FmCheckpointConfig, 'config.json');
    expect(t.map((m) => m.name)).toEqual([...mod7].sort());
    expect(t.find((m) => m.name === 'rgb@224')).toMatchObject({ kind: 'image-pixels', grid: [14, 14], patchSize: 16, width: 3, input: true, output: false });
    expect(t.find((m) => m.name === 'det')).toMatchObject({ kind: 'sequence', vocabSize: 30_000, positions: 256, maxTokens: 256, output: true });
    expect(t.find((m) => m.name === 'tok_clip@224')).toMatchObject({ vocabSize: 8192, grid: [14, 14] });
  });

  it('4M-7-SR: the @448 modalities on a 28×28 grid, the @224 ones inputs only', () => {
    const out = ['tok_rgb@448', 'tok_depth@448', 'tok_semseg@448', 'tok_normal@448', 'tok_clip@448'];
    const t = officialModalityTable({ ...base, domains_in: [...mod7, 'rgb@448', ...out], domains_out: out } as FmCheckpointConfig, 'config.json');
    expect(t.find((m) => m.name === 'tok_rgb@448')).toMatchObject({ vocabSize: 16_384, grid: [28, 28], positions: 784, output: true });
    expect(t.find((m) => m.name === 'rgb@448')).toMatchObject({ grid: [28, 28], input: true, output: false });
    expect(t.find((m) => m.name === 'tok_rgb@224')).toMatchObject({ input: true, output: false });
  });

  it('4M-21 global embeddings: 16 learned positions of 8192 codes, what the contract checks picture references against', () => {
    const globals = ['tok_dinov2_global', 'tok_imagebind_global'];
    const t = officialModalityTable({ ...base, domains_in: globals, domains_out: globals } as FmCheckpointConfig, 'config.json');
    for (const m of t) {
      expect(m).toMatchObject({ kind: 'image-tokens', vocabSize: 8192, grid: [4, 4], positions: 16, learnedPositions: true });
      expect([m.vocabSize, m.positions]).toEqual([REFERENCE_VOCAB, REFERENCE_TOKENS]);
      expect(referenceTokensProblem(new Array(m.positions).fill(m.vocabSize - 1))).toBeNull();
    }
  });

  it('names the config field at fault', () => {
    const cfg = (x: Partial<FmCheckpointConfig>): FmCheckpointConfig => ({ ...base, domains_in: ['caption'], domains_out: ['caption'], ...x }) as FmCheckpointConfig;
    expect(() => officialModalityTable(cfg({ domains_out: ['caption', 'Caption'] }), 'c.json')).toThrow('c.json: domains_out[1]: "Caption" is not a 4M modality');
    expect(() => officialModalityTable(cfg({ domains_in: ['det', 'det'] }), 'c.json')).toThrow('c.json: domains_in[1]: "det" is listed twice');
    expect(() => officialModalityTable(cfg({ domains_in: ['t5_caption'], domains_out: ['t5_caption'] }), 'c.json')).toThrow('c.json: domains_out[0]: "t5_caption" is an input-only modality');
    expect(() => officialModalityTable(cfg({ domains_in: ['tok_dinov2_global'], image_size: 200 }), 'c.json')).toThrow('c.json: image_size: tok_dinov2_global: image side 200 is not a multiple of its patch size 56');
  });
});

describe('checkOfficialTensors', () => {
  const table = officialModalityTable({ ...base, domains_in: ['caption'], domains_out: ['caption'] } as FmCheckpointConfig, 'config.json');
  const good = {
    'encoder_embeddings.caption.token_emb.weight': [30_000, 64], 'encoder_embeddings.caption.pos_emb': [1, 512, 64],
    'decoder_embeddings.caption.mod_emb': [1, 1, 64], 'decoder_embeddings.caption.pos_emb': [1, 256, 64],
    'decoder_embeddings.caption.token_emb.weight': [30_000, 64], 'decoder_embeddings.caption.to_logits.weight': [30_000, 64],
  };

  it('accepts 512-row sequence tables and one mod_emb copy', () => {
    expect(() => checkOfficialTensors(header(good), table, 64)).not.toThrow();
  });

  it('names the file and each tensor that is missing or mis-shaped', () => {
    const bad = { ...good, 'encoder_embeddings.caption.pos_emb': [1, 200, 64] } as Record<string, number[]>;
    delete bad['decoder_embeddings.caption.to_logits.weight'];
    expect(() => checkOfficialTensors(header(bad), table, 64)).toThrow(
      '/m/model.safetensors: "encoder_embeddings.caption.pos_emb" has shape [1, 200, 64], expected [1, ≥256, 64] (and 1 more: tensor "decoder_embeddings.caption.to_logits.weight" is missing)',
    );
    expect(() => checkOfficialTensors(header(good), table, 128)).toThrow('"decoder_embeddings.caption.mod_emb" has shape [1, 1, 64], expected [1, 1, 128]');
  });
});
