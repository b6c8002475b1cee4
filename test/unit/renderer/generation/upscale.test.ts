import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { JobRequest } from '../../../../preload/contract/jobs';
import type { InstalledModel } from '../../../../preload/contract/models';
import { PREDICTION_SAMPLING } from '../../../../preload/contract/sampling-defaults';
import { isSuperResolution, officialUpscales } from '../../../../models/manager/store';
import type { GalleryEntry, GalleryOutput } from '../../../../renderer/src/document';
import { base64ToBytes } from '../../../../renderer/src/generation/base64';
import { GenerationClient } from '../../../../renderer/src/generation/generationClient';
import { buildUpscaleJob, NEEDS_SR_MODEL, savedUpscaleSource, upscalableLayers, upscaleAvailability, upscaledFileName, upscaledLabel, upscaleModels, type UpscaleSource } from '../../../../renderer/src/generation/upscale';
import { inputPixels, rememberUpscaleSource, upscaleSourceOf } from '../../../../renderer/src/generation/upscaleSources';
import { testManifest } from '../document/fixtures';
import { writeOfficialCheckpoint, writeOfficialSrFolder } from '../../models/engine/fm/official-fixture';

const model = (id: string, patch: Partial<InstalledModel> = {}): InstalledModel => ({
  id, where: 'user', kind: 'official', displayName: id, bytes: 1, license: null, licenseAcceptedAt: null, memoryBytes: 1, memoryRefusal: null, problem: null, shadowed: false, dir: `/m/${id}`, ...patch,
});

const plane = { width: 2, height: 2, channels: 1, data: new Uint8Array(4) };
const seg: GalleryOutput = { content: { kind: 'segmentation', plane } as GalleryOutput['content'], tokens: Int32Array.from([1, 2, 3, 4]) };
const text: GalleryOutput = { content: { kind: 'text', text: 'a cat' }, tokens: Int32Array.from([5]) };
const painted: GalleryOutput = { content: { kind: 'image', plane } as GalleryOutput['content'], tokens: null };

const request = {
  version: 1, modelId: '4M-21-fixture', seed: 9, variations: 1, cfgGrowConditioning: true,
  inputs: { 'rgb@224': { kind: 'image-pixels', ref: 'sha256:p' } },
  targets: [{ modality: 'tok_semseg@224', ...PREDICTION_SAMPLING }],
};
const source: UpscaleSource = {
  images: { 'sha256:p': { width: 224, height: 224, rgba: 'AAAA' } },
  variation: { seed: 9, outputs: { 'tok_semseg@224': { kind: 'image', tokens: [1, 2, 3, 4], raster: { width: 224, height: 224, rgba: 'AAAA' }, classMap: 'AA==' } } },
};
const ctx = { officialModelId: '4M-21-fixture', srModels: [model('4M-7-SR_L_CC12M', { upscales: true })], busy: false };

describe('which installed models can upscale', () => {
  test('official folders flagged upscales, usable, the catalogue SR model first', () => {
    const list = [
      model('4M-21-fixture'),
      model('my-sr', { upscales: true }),
      model('4M-7-SR_L_CC12M', { upscales: true }),
      model('shadowed-sr', { upscales: true, shadowed: true }),
      model('broken-sr', { upscales: true, problem: 'bad' }),
      model('pkg', { kind: 'package', upscales: true }),
    ];
    expect(upscaleModels(list).map((m) => m.id)).toEqual(['4M-7-SR_L_CC12M', 'my-sr']);
    expect(upscaleModels([model('4M-21-fixture')])).toEqual([]);
  });

  test('an FM predicting tok_*@448 is an SR model; 224 px outputs are not', () => {
    expect(isSuperResolution(['tok_rgb@448', 'tok_semseg@448', 'tok_rgb@224'])).toBe(true);
    expect(isSuperResolution(['tok_rgb@224', 'tok_semseg@224', 'caption'])).toBe(false);
  });

  const root = mkdtempSync(join(tmpdir(), 'upscale-caps-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  test("the manager reads it from the folder's FM config: the SR fixture upscales, the 4M-21 fixture does not", async () => {
    writeOfficialSrFolder(join(root, 'sr'), []);
    mkdirSync(join(root, 'fm21', 'fm'), { recursive: true });
    writeOfficialCheckpoint(join(root, 'fm21', 'fm'));
    expect(await officialUpscales(join(root, 'sr'))).toBe(true);
    expect(await officialUpscales(join(root, 'fm21'))).toBe(false);
    expect(await officialUpscales(join(root, 'missing'))).toBe(false);
  }, 120_000);
});

describe('Upscale ×2 on a result', () => {
  test('only picture layers with tokens can be upscaled', () => {
    expect(upscalableLayers({ 'tok_semseg@224': seg, caption: text, 'rgb@224': painted })).toEqual(['tok_semseg@224']);
    // Objects (SAM) is a picture of a sequence's masks, not a token grid the SR model reads.
    const objects: GalleryOutput = { content: { kind: 'image', plane: { width: 2, height: 2, channels: 3, data: new Uint8Array(12) } }, tokens: Int32Array.from([5, 6]) };
    expect(upscalableLayers({ sam_instance: objects, 'tok_semseg@224': seg })).toEqual(['tok_semseg@224']);
  });

  test('enabled with an SR model, a result of the open official model and its source; the hover text says the document stays 224 px', () => {
    const can = upscaleAvailability(request, { 'tok_semseg@224': seg }, source, ctx);
    expect(can).toMatchObject({ ok: true, srModelId: '4M-7-SR_L_CC12M', layers: ['tok_semseg@224'] });
    expect(can.title).toMatch(/448 × 448 .*224 px layers and document are not changed/);
  });

  test('disabled, saying what is needed, in every other case', () => {
    const outputs = { 'tok_semseg@224': seg };
    expect(upscaleAvailability(request, outputs, source, { ...ctx, srModels: [] })).toEqual({ ok: false, title: NEEDS_SR_MODEL });
    expect(NEEDS_SR_MODEL).toBe("Install 4M's super-resolution model (4M-7-SR_L_CC12M) to upscale");
    expect(upscaleAvailability(request, outputs, source, { ...ctx, officialModelId: null }).title).toMatch(/results of an official 4M model/);
    expect(upscaleAvailability({ ...request, modelId: 'world-4m-small' }, outputs, source, ctx).ok).toBe(false);
    expect(upscaleAvailability(request, outputs, source, { ...ctx, srModels: null }).ok).toBe(false);
    expect(upscaleAvailability(request, { caption: text }, source, ctx).title).toMatch(/no generated picture layer/);
    expect(upscaleAvailability(request, outputs, undefined, ctx).title).toMatch(/Only results generated in this session/);
    expect(upscaleAvailability(request, outputs, source, { ...ctx, busy: true }).title).toMatch(/An upscale is running/);
  });

  test("the job carries the result's request (its seed, one variation), pixels and variation, and the wire schema takes it", () => {
    const job = buildUpscaleJob({ ...request, seed: 3, variations: 4 }, source, '4M-7-SR_L_CC12M', ['tok_semseg@224']);
    expect(job).toMatchObject({ kind: 'upscale', srModelId: '4M-7-SR_L_CC12M', layers: ['tok_semseg@224'], images: source.images, result: source.variation });
    expect(job.request.seed).toBe(9);
    expect(job.request.variations).toBe(1);
    expect(JobRequest.parse(job).kind).toBe('upscale');
    expect(() => buildUpscaleJob({ version: 1 }, source, 'sr', ['x'])).toThrow(/cannot be sent again/);
  });

  test('the source is remembered by the outputs object the staged item and the gallery entry share', () => {
    const outputs = { 'tok_semseg@224': seg };
    expect(upscaleSourceOf(outputs)).toBeUndefined();
    rememberUpscaleSource(outputs, source);
    expect(upscaleSourceOf(outputs)).toBe(source);
    expect(upscaleSourceOf({ ...outputs })).toBeUndefined();
  });

  test('labels and file names', () => {
    expect(upscaledLabel(9)).toBe('448 × 448, upscaled ×2 from seed 9');
    expect(upscaledFileName('upscaled', 'Segmentation (COCO)', 9)).toBe('upscaled-segmentation-coco-seed9-448.png');
  });
});

describe('Upscale ×2 on a result of an earlier session (reopened from a project)', () => {
  const manifest = { ...testManifest(2, 2, 1, 1), modelId: '4M-21-fixture', modalities: [{ id: 'rgb@224', kind: 'image' as const, channels: 3 as const }, { id: 'tok_semseg@224', kind: 'segmentation' as const, classes: [{ name: 'sky', color: [0, 0, 255] as [number, number, number] }] }, { id: 'caption', kind: 'text' as const }] };
  const sketch = { width: 2, height: 2, rgba: Uint8Array.from({ length: 16 }, (_, i) => i * 9) };
  const entry = (patch: Partial<GalleryEntry> = {}): GalleryEntry => ({
    id: 'g1', createdAt: '', accepted: true, request, outputs: { 'tok_semseg@224': seg, caption: text, 'rgb@224': painted }, inputs: { 'sha256:p': sketch }, ...patch,
  });

  test("the job is rebuilt from what the project kept: the request's seed, the kept pixels, every output's tokens", () => {
    const source = savedUpscaleSource(entry(), manifest);
    if (typeof source === 'string') throw new Error(source);
    expect(source.variation.seed).toBe(9);
    expect(Array.from(base64ToBytes(source.images['sha256:p']!.rgba))).toEqual(Array.from(sketch.rgba));
    expect(source.images['sha256:p']).toMatchObject({ width: 2, height: 2 });
    expect(source.variation.outputs['tok_semseg@224']).toMatchObject({ kind: 'image', tokens: [1, 2, 3, 4], raster: { width: 2, height: 2 } });
    expect(source.variation.outputs['caption']).toEqual({ kind: 'sequence', tokens: [5], text: 'a cat' });
    expect(source.variation.outputs).not.toHaveProperty('rgb@224'); // painted: no tokens
    const job = buildUpscaleJob(entry().request, source, 'sr', ['tok_semseg@224']);
    expect(JobRequest.parse(job).kind).toBe('upscale');
    expect(upscaleAvailability(request, entry().outputs, source, ctx).ok).toBe(true);
  });

  test('without the pixels it was made from (a file from before format 3) the button says what is missing', () => {
    const why = savedUpscaleSource(entry({ inputs: undefined }), manifest);
    expect(why).toMatch(/^The pixels of .+ this result was made from were not kept in the project \(saved before 4M Studio kept them\); recall it and generate it again to upscale it$/);
    expect(upscaleAvailability(request, entry().outputs, why, ctx)).toEqual({ ok: false, title: why });
    expect(savedUpscaleSource(entry({ request: { version: 1 } }), manifest)).toMatch(/^This result's request cannot be read/);
    // A request that sent no pixels needs none.
    expect(typeof savedUpscaleSource(entry({ inputs: undefined, request: { ...request, inputs: {} } }), manifest)).toBe('object');
  });

  test("a job's pixels are kept as bytes, once for all its variations", () => {
    expect(inputPixels({})).toBeUndefined();
    const kept = inputPixels({ 'sha256:p': { width: 1, height: 1, rgba: 'AQIDBA==' } });
    expect(kept).toEqual({ 'sha256:p': { width: 1, height: 1, rgba: Uint8Array.of(1, 2, 3, 4) } });
  });
});

describe("GenerationClient.upscale: the 'upscale' job over the same transport as generate", () => {
  test('sends the job, reports progress, cancels by id and rejects with the host error', async () => {
    const sent: unknown[] = [];
    const listeners = new Set<(m: unknown) => void>();
    const client = new GenerationClient({ send: (m) => void sent.push(m), subscribe: (l) => (listeners.add(l), () => listeners.delete(l)) });
    const receive = (m: unknown): void => listeners.forEach((l) => l(m));
    const job = buildUpscaleJob(request, source, 'sr', ['tok_semseg@224']);
    const progress: number[] = [];
    const ok = client.upscale(job, (e) => progress.push(e.done));
    expect(sent[0]).toEqual({ type: 'job', id: ok.id, request: job });
    expect(ok.id).toMatch(/^up-/);
    receive({ type: 'generation-progress', id: ok.id, variation: 0, done: 3, total: 8 });
    const v = { seed: 10, outputs: { 'tok_semseg@224': { kind: 'image', tokens: [1], raster: { width: 448, height: 448, rgba: '' } } } };
    receive({ type: 'generation-result', id: ok.id, variations: [v], elapsedMs: 1 });
    await expect(ok.result).resolves.toEqual([v]);
    expect(progress).toEqual([3]);

    const failing = client.upscale(job, () => undefined);
    failing.cancel();
    expect(sent.at(-1)).toEqual({ type: 'cancel', id: failing.id });
    receive({ type: 'error', id: failing.id, error: { name: 'JobCancelledError', message: 'Upscaling was cancelled', kind: 'cancelled' } });
    await expect(failing.result).rejects.toMatchObject({ kind: 'cancelled' });
  });
});
