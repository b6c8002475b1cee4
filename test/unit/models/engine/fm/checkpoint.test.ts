import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../../../../models/engine/fm/checkpoint';
import { writeSafetensors } from './safetensors-writer';

const dir = mkdtempSync(join(tmpdir(), 'ckpt-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const tensors = { mask_token: { dtype: 'F32' as const, shape: [1, 1, 4], values: [1, 2, 3, 4] }, w: { dtype: 'F16' as const, shape: [2, 3], values: [1, 2, 3, 4, 5, 6] } };
const folder = (name: string): string => {
  const d = join(dir, name);
  mkdirSync(d);
  return d;
};

describe('openCheckpoint', () => {
  it('takes the config from the header metadata', async () => {
    const f = join(folder('meta'), 'model.safetensors');
    writeSafetensors(f, tensors, { dim: '768', domains_in: "['caption']", format: 'pt' });
    const c = await openCheckpoint(f);
    expect(c.configSource).toBe('metadata');
    expect(c.config).toEqual({ dim: 768, domains_in: ['caption'], format: 'pt' });
    expect(c.parameters).toBe(10);
  });

  it('falls back to a config.json beside the file', async () => {
    const d = folder('json');
    const f = join(d, 'model.safetensors');
    writeSafetensors(f, tensors, { format: 'pt' });
    writeFileSync(join(d, 'config.json'), JSON.stringify({ dim: 1024, domains_in: ['caption'] }));
    const c = await openCheckpoint(f);
    expect(c.configSource).toBe(join(d, 'config.json'));
    expect(c.config).toEqual({ dim: 1024, domains_in: ['caption'] });
  });

  it('does not take save_model\'s shared-tensor aliases for a config', async () => {
    const d = folder('aliases');
    const f = join(d, 'model.safetensors');
    writeSafetensors(f, tensors, { 'encoder_embeddings.caption.mod_emb': 'decoder_embeddings.caption.mod_emb', format: 'pt' });
    writeFileSync(join(d, 'config.json'), JSON.stringify({ dim: 64, domains_in: ['caption'] }));
    const c = await openCheckpoint(f);
    expect(c.configSource).toBe(join(d, 'config.json'));
    const m = join(folder('aliases-and-config'), 'model.safetensors');
    writeSafetensors(m, tensors, { 'encoder_embeddings.caption.mod_emb': 'decoder_embeddings.caption.mod_emb', dim: '64' });
    expect((await openCheckpoint(m)).config).toEqual({ dim: 64 });
  });

  it('reports no config when there is none, and a broken config.json by name', async () => {
    const d = folder('none');
    const f = join(d, 'model.safetensors');
    writeSafetensors(f, tensors);
    expect((await openCheckpoint(f)).config).toBeUndefined();
    writeFileSync(join(d, 'config.json'), '{"dim": ');
    await expect(openCheckpoint(f)).rejects.toThrow(`${join(d, 'config.json')}: not valid JSON`);
  });
});
