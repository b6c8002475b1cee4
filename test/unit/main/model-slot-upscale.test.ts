/**
 * The host's "Upscale ×2 (SR model)" step: an 'upscale' job (preload/contract/generation-jobs.ts) on
 * the model slot. A lookup folder holds an official model (the 4M-21-layout FM fixture with the
 * semseg VQ-VAE) and an official SR model (the 4M-7-SR-layout FM fixture with the same semseg
 * tokenizer, opened at 448 px); a generate job's result goes back as an upscale job and comes back as
 * a 448 × 448 layer under its layer id. Random weights, real graphs through the real engine; the
 * message loop dispatches the job kind.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { serveHost } from '../../../main/inference/host/host';
import { ModelSlot } from '../../../main/inference/host/model-slot';
import { loadEngineModel } from '../../../models/engine/generate';
import { loadOfficialModel, type OfficialModel } from '../../../models/engine/generate/official-model';
import type { GenerateJobRequest, UpscaleJobRequest } from '../../../preload/contract/generation-jobs';
import { JobRequest, type FromHost } from '../../../preload/contract/jobs';
import { PREDICTION_SAMPLING } from '../../../preload/contract/sampling-defaults';
import { hashedPicture, rebuildCheckpoint, writeOfficialCheckpoint, writeOfficialSrFolder, type CheckpointFixture } from '../models/engine/fm/official-fixture';

const VQ_DIR = join(__dirname, '../../fixtures/official-vqvae');

describe("the host's upscale step on an official model and an official SR model", () => {
  const root = mkdtempSync(join(tmpdir(), 'slot-upscale-'));
  const slot = new ModelSlot([{ path: root, origin: 'user' }], 'official');
  beforeAll(() => {
    const dir = join(root, 'official');
    mkdirSync(join(dir, 'fm'), { recursive: true });
    mkdirSync(join(dir, 'tokenizers', 'semseg'), { recursive: true });
    writeOfficialCheckpoint(join(dir, 'fm'));
    rebuildCheckpoint(JSON.parse(readFileSync(join(VQ_DIR, 'checkpoint.json'), 'utf8')) as CheckpointFixture, VQ_DIR, join(dir, 'tokenizers', 'semseg'));
    writeOfficialSrFolder(join(root, 'sr'), ['semseg']);
  }, 300_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('RGB picture → segmentation at 224, then upscaled ×2 through the job contract, with progress and refusals', async () => {
    await slot.open('official');
    const img = hashedPicture('slot upscale picture', 224);
    const job: GenerateJobRequest = {
      kind: 'generate',
      request: { version: 1, modelId: 'official', seed: 5, cfgGrowConditioning: true, inputs: { 'rgb@224': { kind: 'image-pixels', ref: 'sha256:p' } }, targets: [{ modality: 'tok_semseg@224', ...PREDICTION_SAMPLING }] },
      images: { 'sha256:p': { width: 224, height: 224, rgba: Buffer.from(img.data).toString('base64') } },
    };
    const none = { signal: new AbortController().signal, progress: () => undefined };
    const [result] = await slot.generate(job, none);
    if (!result) throw new Error('no result');

    const upscale: UpscaleJobRequest = { kind: 'upscale', srModelId: 'sr', request: job.request, images: job.images, result, layers: ['tok_semseg@224'] };
    // The wire schema takes it as a job.
    expect(JobRequest.parse(upscale).kind).toBe('upscale');
    const progress: [number, number][] = [];
    const [v] = await slot.upscale(upscale, { ...none, progress: (_v, done, total) => progress.push([done, total]) });
    expect(v?.seed).toBe(result.seed + 1);
    const out = v?.outputs['tok_semseg@224'];
    if (out?.kind !== 'image') throw new Error('expected an image output');
    expect([out.raster.width, out.raster.height]).toEqual([448, 448]);
    expect(out.tokens).toHaveLength(784);
    expect(Buffer.from(out.classMap ?? '', 'base64')).toHaveLength(448 * 448);
    expect(progress.at(-1)).toEqual([8, 8]);

    // The RGB layer was a picture: nothing to upscale it from. Layer names as the editor shows them.
    await expect(slot.upscale({ ...upscale, layers: ['rgb@224'] }, none)).rejects.toThrow(`${join(root, 'sr')}: RGB has no tokenizer to decode it at 448 px`);
    // An SR model id that is not installed.
    await expect(slot.upscale({ ...upscale, srModelId: 'missing-sr' }, none)).rejects.toThrow('Super-resolution model "missing-sr" was not found');
    // A result of another model (the shared host was switched meanwhile).
    await expect(slot.upscale({ ...upscale, request: { ...upscale.request, modelId: 'other' } }, none)).rejects.toThrow('request is for model "other" but "official" is open');

    // Through the host's message loop: the job kind is dispatched and answered as a generation result.
    const sent: FromHost[] = [];
    let deliver: (data: unknown) => void = () => undefined;
    serveHost({ send: (m) => sent.push(m), onMessage: (l) => void (deliver = l) }, slot);
    deliver({ type: 'job', id: 'up-1', request: upscale });
    await expect.poll(() => sent.find((m) => m.type === 'generation-result' || m.type === 'error'), { timeout: 240_000, interval: 200 }).toBeDefined();
    const answer = sent.find((m) => m.type === 'generation-result' || m.type === 'error');
    if (answer?.type !== 'generation-result') throw new Error(`expected a result, got ${JSON.stringify(answer)}`);
    expect(answer.variations[0]?.outputs['tok_semseg@224']?.tokens).toEqual(out.tokens);
  }, 600_000);

  test('the SR model opened as the open model ("Continue at 448"): laid out at 448 on 28×28, its upscale copy released, and a region of RGB regenerated there', async () => {
    writeOfficialSrFolder(join(root, 'sr-rgb'), ['rgb']);
    const released: string[] = [];
    const load = async (dir: string): Promise<OfficialModel> => {
      const m = await loadOfficialModel(dir);
      return { ...m, release: async () => (released.push(dir), m.release()) };
    };
    const own = new ModelSlot([{ path: root, origin: 'user' }], 'official', (dir) => loadEngineModel(dir), load);
    await own.open('official');
    const img = hashedPicture('slot sr448 picture', 224);
    const job: GenerateJobRequest = {
      kind: 'generate',
      request: { version: 1, modelId: 'official', seed: 5, cfgGrowConditioning: true, inputs: { 'rgb@224': { kind: 'image-pixels', ref: 'sha256:p' } }, targets: [{ modality: 'tok_semseg@224', ...PREDICTION_SAMPLING }] },
      images: { 'sha256:p': { width: 224, height: 224, rgba: Buffer.from(img.data).toString('base64') } },
    };
    const none = { signal: new AbortController().signal, progress: () => undefined };
    // An upscale job opens the SR folder beside the open model (this one fails after opening it: the result holds no RGB tokens).
    await expect(own.upscale({ kind: 'upscale', srModelId: 'sr-rgb', request: job.request, images: job.images, result: { seed: 5, outputs: {} }, layers: ['rgb@224'] }, none)).rejects.toThrow();
    await own.open('sr-rgb');
    const status = own.status().model;
    if (status.state !== 'loaded') throw new Error(`expected the SR model loaded, got ${JSON.stringify(status)}`);
    expect(status.layout).toMatchObject({ id: 'sr-rgb', imageSize: 448, modalities: [{ name: 'rgb@448', grid: [28, 28] }] });
    // Two copies were open (the upscale one and the open one): the upscale one and the 224 model are released.
    await expect.poll(() => released.filter((d) => d === join(root, 'sr-rgb')).length).toBe(1);
    await expect.poll(() => released.includes(join(root, 'official'))).toBe(true);

    // The editor's region job at 448: the RGB layer (rgb@448) as a picture with a 784-entry keepMask.
    const big = hashedPicture('slot sr448 big picture', 448);
    const keep = Array.from({ length: 784 }, (_, i) => (Math.floor(i / 28) === 14 ? 0 : 1) as 0 | 1);
    const [v] = await own.generate({
      kind: 'generate',
      request: { version: 1, modelId: 'sr-rgb', seed: 9, cfgGrowConditioning: true, inputs: { 'rgb@448': { kind: 'image-pixels', ref: 'sha256:big', keepMask: keep } }, targets: [{ modality: 'rgb@448', ...PREDICTION_SAMPLING, steps: 2 }] },
      images: { 'sha256:big': { width: 448, height: 448, rgba: Buffer.from(big.data).toString('base64') } },
    }, none);
    const out = v?.outputs['rgb@448'];
    if (out?.kind !== 'image') throw new Error('expected an image output under the layer id');
    expect([out.raster.width, out.raster.height]).toEqual([448, 448]);
    expect(out.tokens).toHaveLength(784);
    await own.open('official');
  }, 600_000);
});
