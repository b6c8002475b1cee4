/**
 * The host's model slot on an official model folder built from the committed random-weight
 * fixtures (the 4M-21-layout FM in fm/, the semseg VQ-VAE in tokenizers/semseg/): found by id in a
 * lookup folder, its status carries the editor's layout, a job runs through generateOfficial with
 * progress and comes back under the editor's layer ids; a cancelled job says so; a hostile id fails.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ModelSlot } from '../../../main/inference/host/model-slot';
import { JobCancelledError } from '../../../main/inference/host/runner';
import type { GenerateJobRequest } from '../../../preload/contract/generation-jobs';
import { PREDICTION_SAMPLING } from '../../../preload/contract/sampling-defaults';
import { REFERENCE_SAMPLING } from '../../../preload/contract/reference';
import { hashedPicture, rebuildCheckpoint, writeOfficialCheckpoint, writeOfficialFolder, type CheckpointFixture } from '../models/engine/fm/official-fixture';
import { officialSequenceTokenizerJson } from '../models/tokenizers/tokenizer-fixture';
import { encodeSamInstances, openOfficialSamInstanceTokenizer } from '../../../models/engine/vq/official-sam-instance';

describe("the host's model slot on an official model folder", () => {
  const root = mkdtempSync(join(tmpdir(), 'slot-official-'));
  const slot = new ModelSlot([{ path: root, origin: 'user' }], 'official');
  beforeAll(() => writeOfficialFolder(join(root, 'official'), ['semseg']), 300_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('opens with its layout; RGB picture → segmentation through the job contract, with progress; cancel; hostile ids', async () => {
    await slot.open('official');
    const { model } = slot.status();
    if (model.state !== 'loaded') throw new Error(`expected loaded, got ${JSON.stringify(model)}`);
    expect(model.layout).toMatchObject({ id: 'official', imageSize: 224 });
    expect(model.layout?.modalities.map((m) => m.name)).toEqual(['rgb@224', 'tok_semseg@224', 'tok_dinov2_global', 'tok_imagebind_global']);

    const img = hashedPicture('slot picture', 224);
    const job: GenerateJobRequest = {
      kind: 'generate',
      request: { version: 1, modelId: 'official', seed: 3, cfgGrowConditioning: true, inputs: { 'rgb@224': { kind: 'image-pixels', ref: 'sha256:p' } }, targets: [{ modality: 'tok_semseg@224', ...PREDICTION_SAMPLING, steps: 2 }] },
      images: { 'sha256:p': { width: 224, height: 224, rgba: Buffer.from(img.data).toString('base64') } },
    };
    const progress: [number, number][] = [];
    const [v] = await slot.generate(job, { signal: new AbortController().signal, progress: (_v, done, total) => progress.push([done, total]) });
    const out = v?.outputs['tok_semseg@224'];
    if (out?.kind !== 'image') throw new Error('expected an image output');
    expect([out.raster.width, out.raster.height]).toEqual([224, 224]);
    expect(out.classMap).toBeDefined();
    expect(out.tokens).toHaveLength(196);
    expect(progress.at(-1)).toEqual([2, 2]);

    // A picture reference: read from the picture (tokens only, nothing decodes them), then a condition;
    // ids that are not a reference are refused in the layer's name.
    const read: GenerateJobRequest = { ...job, request: { ...job.request, targets: [{ modality: 'tok_dinov2_global', ...REFERENCE_SAMPLING }] } };
    const [r] = await slot.generate(read, { signal: new AbortController().signal, progress: () => undefined });
    const ref = r?.outputs['tok_dinov2_global'];
    if (ref?.kind !== 'tokens') throw new Error(`expected tokens, got ${JSON.stringify(ref)}`);
    expect(ref.tokens).toHaveLength(16);
    const steered: GenerateJobRequest = { ...job, request: { ...job.request, inputs: { ...job.request.inputs, tok_dinov2_global: { kind: 'image-tokens', tokens: ref.tokens } } } };
    const [s] = await slot.generate(steered, { signal: new AbortController().signal, progress: () => undefined });
    expect(s?.outputs['tok_semseg@224']?.kind).toBe('image');
    const bad: GenerateJobRequest = { ...job, request: { ...job.request, inputs: { ...job.request.inputs, tok_dinov2_global: { kind: 'image-tokens', tokens: [...ref.tokens.slice(0, 15), 9000] } } } };
    await expect(slot.generate(bad, { signal: new AbortController().signal, progress: () => undefined })).rejects.toThrow('inputs.DINOv2 reference.tokens: expected 16 ids below 8192');

    const abort = new AbortController();
    abort.abort();
    await expect(slot.generate(job, { signal: abort.signal, progress: () => undefined })).rejects.toBeInstanceOf(JobCancelledError);

    // A job for another model (the shared host was switched meanwhile) is refused, not run on this one.
    await expect(slot.generate({ ...job, request: { ...job.request, modelId: 'other-official' } }, { signal: new AbortController().signal, progress: () => undefined })).rejects.toThrow(
      'request is for model "other-official" but "official" is open (the model was switched meanwhile); run it again',
    );

    await slot.open('../official');
    const failed = slot.status().model;
    expect(failed.state === 'failed' && failed.message).toMatch(/^Could not open model "\.\.\/official": Model "\.\.\/official" was not found/);
  }, 300_000);
});

describe("the host's model slot when the open model's folder is removed (Models → Remove while it is open)", () => {
  const root = mkdtempSync(join(tmpdir(), 'slot-official-gone-'));
  const slot = new ModelSlot([{ path: root, origin: 'user' }], 'gone');
  beforeAll(() => writeOfficialFolder(join(root, 'gone'), ['semseg']), 300_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('a job then says the graph file is missing and to open the model again (not that no execution provider could open it); reopening says it is not installed', async () => {
    await slot.open('gone');
    expect(slot.status().model.state).toBe('loaded');
    rmSync(join(root, 'gone'), { recursive: true });
    const img = hashedPicture('gone picture', 224);
    const job: GenerateJobRequest = {
      kind: 'generate',
      request: { version: 1, modelId: 'gone', seed: 3, cfgGrowConditioning: true, inputs: { 'rgb@224': { kind: 'image-pixels', ref: 'sha256:p' } }, targets: [{ modality: 'tok_semseg@224', ...PREDICTION_SAMPLING, steps: 2 }] },
      images: { 'sha256:p': { width: 224, height: 224, rgba: Buffer.from(img.data).toString('base64') } },
    };
    await expect(slot.generate(job, { signal: new AbortController().signal, progress: () => undefined })).rejects.toThrow(
      /gone\/fm\/fm_head_tok_semseg_224\.onnx: the file is missing \(was the model's folder moved or removed while the model was open\? open the model again\)/,
    );
    await slot.open('gone');
    const failed = slot.status().model;
    expect(failed.state === 'failed' && failed.message).toMatch(/^Could not open model "gone": Model "gone" was not found\. Searched /);
    await expect(slot.generate(job, { signal: new AbortController().signal, progress: () => undefined })).rejects.toThrow(/Model "gone" was not found/);
  }, 300_000);
});

describe("the host's model slot: boxes and palettes on an official model (WordPiece file with 4M's sequence words)", () => {
  const root = mkdtempSync(join(tmpdir(), 'slot-official-seq-'));
  const slot = new ModelSlot([{ path: root, origin: 'user' }], 'official-seq');
  beforeAll(() => {
    const dir = join(root, 'official-seq');
    mkdirSync(join(dir, 'fm'), { recursive: true });
    writeOfficialCheckpoint(join(dir, 'fm'));
    writeFileSync(join(dir, 'text_tokenizer_4m_wordpiece_30k.json'), JSON.stringify(officialSequenceTokenizerJson()));
  }, 300_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const sequence = (modality: string) => ({ modality, scheme: 'autoregressive' as const, steps: 1, tokenSchedule: 'linear' as const, temperature: 1, temperatureSchedule: 'constant' as const, cfgScale: 1, topK: 0, topP: 1, maxTokens: 12 });
  const run = (inputs: GenerateJobRequest['request']['inputs'], targets: string[], images: GenerateJobRequest['images'] = {}) =>
    slot.generate({ kind: 'generate', request: { version: 1, modelId: 'official-seq', seed: 5, cfgGrowConditioning: true, inputs, targets: targets.map(sequence) }, images }, { signal: new AbortController().signal, progress: () => undefined });

  test('layout: boxes with the 80 COCO labels, the palette and the image controls; boxes in → caption; picture → boxes and palette; a label or a metadata property it does not know is refused by name', async () => {
    await slot.open('official-seq');
    const { model } = slot.status();
    if (model.state !== 'loaded') throw new Error(`expected loaded, got ${JSON.stringify(model)}`);
    expect(model.layout?.modalities.map((m) => m.name)).toEqual(['rgb@224', 'det', 'caption', 'color_palette', 'metadata', 'tok_dinov2_global', 'tok_imagebind_global']);
    expect(model.layout?.boxLabels).toHaveLength(80);

    // The editor's text for one box labelled "dog" (renderer/src/generation/sequenceText.ts) and a palette.
    const [fromBoxes] = await run({ det: { kind: 'text', text: 'v0=100 v1=200 v2=600 v3=800 dog' }, color_palette: { kind: 'text', text: 'v1=2 v0=255 v0=0 v0=0 v0=0 v0=0 v0=255' } }, ['caption']);
    const caption = fromBoxes?.outputs.caption;
    if (caption?.kind !== 'sequence') throw new Error('expected a caption');
    expect(typeof caption.text).toBe('string');

    const img = hashedPicture('slot boxes picture', 224);
    const [fromPicture] = await run({ 'rgb@224': { kind: 'image-pixels', ref: 'sha256:p' } }, ['det', 'color_palette'], { 'sha256:p': { width: 224, height: 224, rgba: Buffer.from(img.data).toString('base64') } });
    const det = fromPicture?.outputs.det;
    const palette = fromPicture?.outputs.color_palette;
    // Random weights: whatever words came out; parsed boxes and colours ride along (none when the words make none).
    if (det?.kind !== 'sequence' || palette?.kind !== 'sequence') throw new Error('expected sequence outputs');
    expect(Array.isArray(det.boxes)).toBe(true);
    expect(Array.isArray(palette.palette)).toBe(true);

    await expect(run({ det: { kind: 'text', text: 'v0=100 v1=200 v2=600 v3=800 table' } }, ['caption'])).rejects.toThrow(
      'Boxes (COCO): "table" is not a box label this model knows (did you mean "dining table"?); pick one of its 80 classes',
    );
    // Image controls (metadata): the editor's text goes through; an unknown property is refused by the layer's name.
    const [fromControls] = await run({ metadata: { kind: 'text', text: 'v1=5 v0=2 v1=10 v0=30 v1=20 v0=2 [S_1]' } }, ['caption']);
    expect(fromControls?.outputs.caption?.kind).toBe('sequence');
    await expect(run({ metadata: { kind: 'text', text: 'v1=10 v0=30 v1=42 v0=1 [S_1]' } }, ['caption'])).rejects.toThrow(
      'Image controls: "v1=42 v0=1": v1=42 is not a property 4M knows (v1=0…v1=20)',
    );
  }, 300_000);
});

describe("the host's model slot: 4M-21's SAM instances as the Objects (SAM) picture layer", () => {
  const root = mkdtempSync(join(tmpdir(), 'slot-official-sam-'));
  const slot = new ModelSlot([{ path: root, origin: 'user' }], 'official-sam');
  const samDir = join(__dirname, '../../fixtures/official-vqvae-sam');
  beforeAll(() => {
    const dir = join(root, 'official-sam');
    mkdirSync(join(dir, 'fm'), { recursive: true });
    writeOfficialCheckpoint(join(dir, 'fm'));
    const tok = join(dir, 'tokenizers', 'sam-instance_1k_64');
    mkdirSync(tok, { recursive: true });
    rebuildCheckpoint(JSON.parse(readFileSync(join(samDir, 'checkpoint.json'), 'utf8')) as CheckpointFixture, samDir, tok);
    writeFileSync(join(dir, 'text_tokenizer_4m_wordpiece_30k.json'), JSON.stringify(officialSequenceTokenizerJson()));
  }, 300_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('the layout offers it as a condition and a target; RGB → objects comes back as a 224 × 224 picture of the masks with the sequence tokens', async () => {
    await slot.open('official-sam');
    const { model } = slot.status();
    if (model.state !== 'loaded') throw new Error(`expected loaded, got ${JSON.stringify(model)}`);
    // 4M-21 reads sam_instance too: a condition as well (no `input: false`), of as many painted objects as the sequence holds with this WordPiece file.
    expect(model.layout?.modalities.find((m) => m.name === 'sam_instance')).toEqual({ name: 'sam_instance', displayName: 'Objects (SAM)', type: 'img', domain: 'sam_instance', grid: [14, 14], maxObjects: 9 });

    const img = hashedPicture('slot sam picture', 224);
    const job: GenerateJobRequest = {
      kind: 'generate',
      request: {
        version: 1, modelId: 'official-sam', seed: 3, cfgGrowConditioning: true,
        inputs: { 'rgb@224': { kind: 'image-pixels', ref: 'sha256:p' } },
        targets: [{ modality: 'sam_instance', scheme: 'autoregressive', steps: 1, tokenSchedule: 'linear', temperature: 0.01, temperatureSchedule: 'constant', cfgScale: 1, topK: 0, topP: 0.8, maxTokens: 24 }],
      },
      images: { 'sha256:p': { width: 224, height: 224, rgba: Buffer.from(img.data).toString('base64') } },
    };
    const [v] = await slot.generate(job, { signal: new AbortController().signal, progress: () => undefined });
    const out = v?.outputs.sam_instance;
    if (out?.kind !== 'image') throw new Error(`expected a picture, got ${JSON.stringify(out)}`);
    expect([out.raster.width, out.raster.height]).toEqual([224, 224]);
    expect(out.classMap).toBeUndefined();
    expect(out.tokens.length).toBeGreaterThan(0);
    const rgba = Buffer.from(out.raster.rgba, 'base64');
    expect(rgba).toHaveLength(224 * 224 * 4);
    // Random weights write no complete instance: nothing painted (the editor reads it as "no objects found").
    expect(rgba.every((b) => b === 0)).toBe(true);
  }, 300_000);

  test('as a condition its picture is read into sam_instance text: the same caption as the text from a direct encode; a picture with no object is refused by the layer\'s name', async () => {
    await slot.open('official-sam');
    // Two objects in flat colours on black, as the host paints the model's masks.
    const S = 224;
    const objectOf = (x: number, y: number): number => (x >= 20 && x < 90 && y >= 30 && y < 80 ? 1 : (x - 150) ** 2 + (y - 150) ** 2 <= 900 ? 2 : 0);
    const rgba = new Uint8Array(S * S * 4);
    for (let i = 0; i < S * S; i++) {
      const k = objectOf(i % S, Math.floor(i / S));
      rgba.set(k === 1 ? [200, 60, 40, 255] : k === 2 ? [50, 160, 210, 255] : [0, 0, 0, 255], i * 4);
    }
    const caption = { modality: 'caption', scheme: 'autoregressive' as const, steps: 1, tokenSchedule: 'linear' as const, temperature: 1, temperatureSchedule: 'constant' as const, cfgScale: 1, topK: 0, topP: 1, maxTokens: 8 };
    const job = (input: GenerateJobRequest['request']['inputs'][string], picture: Uint8Array = rgba): GenerateJobRequest => ({
      kind: 'generate',
      request: { version: 1, modelId: 'official-sam', seed: 9, cfgGrowConditioning: true, inputs: { sam_instance: input }, targets: [caption], variations: 2 },
      images: { 'sha256:objects': { width: S, height: S, rgba: Buffer.from(picture).toString('base64') } },
    });
    const context = { signal: new AbortController().signal, progress: () => undefined };
    const fromPicture = await slot.generate(job({ kind: 'image-pixels', ref: 'sha256:objects' }), context);
    const tok = await openOfficialSamInstanceTokenizer(join(root, 'official-sam', 'tokenizers', 'sam-instance_1k_64'), { providers: ['cpu'], intraOpThreads: 1 });
    const masks = [1, 2].map((k) => ({ width: S, height: S, mask: Uint8Array.from({ length: S * S }, (_, i) => (objectOf(i % S, Math.floor(i / S)) === k ? 1 : 0)) }));
    const { text } = await encodeSamInstances(tok, masks).finally(() => tok.release());
    const fromText = await slot.generate(job({ kind: 'text', text }), context);
    expect(fromPicture).toHaveLength(2);
    expect(fromPicture.map((v) => v.outputs.caption)).toEqual(fromText.map((v) => v.outputs.caption));
    await expect(slot.generate(job({ kind: 'image-pixels', ref: 'sha256:objects' }, new Uint8Array(S * S * 4)), context)).rejects.toThrow('Objects (SAM): no objects: every pixel is black or transparent');
  }, 300_000);
});
