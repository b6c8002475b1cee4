import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadFixtureBackend } from '../../../main/inference/host/fixture';
import type { GenerateJobRequest } from '../../../preload/contract/generation-jobs';

/** The supervision tests' host fixture (test/fixtures/host/slow-relief.mjs) runs its real graph. */
const fixture = resolve(import.meta.dirname, '../../fixtures/host/slow-relief.mjs');

const job = (steps: number): GenerateJobRequest => ({
  kind: 'generate',
  request: {
    version: 1,
    modelId: 'test-relief',
    seed: 5,
    inputs: {},
    targets: [{ modality: 'tok_rgb@128', scheme: 'roar', steps, tokenSchedule: 'cosine', temperature: 1, temperatureSchedule: 'constant', cfgScale: 1, topK: 0, topP: 0 }],
    cfgGrowConditioning: false,
  },
  images: {},
});

describe('the slow relief host fixture', () => {
  test('reports its graph, streams paced steps and returns an opaque grey relief; cancel stops it', async () => {
    const backend = await loadFixtureBackend(fixture);
    expect(backend.status()).toMatchObject({ model: { state: 'loaded', modelId: 'test-relief', execution: { provider: 'cpu' }, graphs: [{ graph: 'relief.onnx' }] }, available: [{ origin: 'fixture' }] });
    const steps: number[] = [];
    const started = Date.now();
    const [variation] = await backend.generate(job(3), { signal: new AbortController().signal, progress: (_v, done) => steps.push(done) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250); // paced at 100 ms a step
    expect(steps).toEqual([1, 2, 3]);
    const out = variation?.outputs['tok_rgb@128'];
    if (out?.kind !== 'image') throw new Error('expected an image output');
    const px = Buffer.from(out.raster.rgba, 'base64');
    expect([out.raster.width, out.raster.height]).toEqual([64, 64]);
    // Black input: relief → 1 − 0 = 1, reached as 0.5, 0.75, 0.875 in the middle.
    expect([...px.subarray(4 * (32 * 64 + 32), 4 * (32 * 64 + 32) + 4)]).toEqual([223, 223, 223, 255]);

    const abort = new AbortController();
    const cancelled = backend.generate(job(50), { signal: abort.signal, progress: (_v, done) => done === 2 && abort.abort() });
    await expect(cancelled).rejects.toMatchObject({ name: 'JobCancelledError' });

    await backend.open('world-4m-small');
    expect(backend.status().model).toMatchObject({ state: 'failed', message: expect.stringMatching(/only the fixture "test-relief"/) });
  });
});
