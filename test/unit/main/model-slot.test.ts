import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ModelSlot } from '../../../main/inference/host/model-slot';
import type { ModelFolder } from '../../../models/registry/folders';
import type { ModelStatus } from '../../../preload/contract/jobs';

/** The host's model slot on the real shipped package, found through the registry. */
const folders: ModelFolder[] = [{ path: resolve(import.meta.dirname, '../../../models/zoo'), origin: 'bundled' }];

describe("the host's model slot", () => {
  test('opens the default model with every graph and names the provider each got; a switch to a missing model fails clearly', async () => {
    const slot = new ModelSlot(folders);
    const seen: ModelStatus['state'][] = [];
    slot.onChange(() => seen.push(slot.status().model.state));
    await slot.open(slot.initialId);
    const { model, available } = slot.status();
    expect(available).toEqual([{ id: 'world-4m-small', displayName: expect.any(String), origin: 'bundled' }]);
    if (model.state !== 'loaded') throw new Error(`expected loaded, got ${JSON.stringify(model)}`);
    expect(model.execution.provider).toBe('cpu');
    expect(model.execution.skipped.map((s) => s.provider)).toEqual(expect.arrayContaining(['dml', 'coreml']));
    // FM encoder, decoders, heads and every tokenizer: each graph reports its own provider.
    expect(model.graphs.map((g) => g.graph)).toEqual(expect.arrayContaining(['fm/encoder.onnx', 'fm/head_tok_rgb_128.onnx', 'tokenizers/rgb_decoder.onnx', 'tokenizers/semseg_encoder.onnx']));
    expect(model.graphs.length).toBeGreaterThanOrEqual(20);
    expect(new Set(model.graphs.map((g) => g.provider))).toEqual(new Set(['cpu']));
    expect(seen).toEqual(['loading', 'loaded']);
    const engine = await slot.current();
    expect(engine.manifest.id).toBe('world-4m-small');

    await slot.open('no-such-model');
    const failed = slot.status().model;
    expect(failed).toMatchObject({ state: 'failed', modelId: 'no-such-model' });
    expect(failed.state === 'failed' && failed.message).toMatch(/^Could not open model "no-such-model": Model "no-such-model" was not found\. Searched .*models\/zoo \(bundled\)/);
    // A job now gets the same reason; it also retries the open, which still fails.
    await expect(slot.current()).rejects.toThrow(/no-such-model/);
  }, 120_000);
});
