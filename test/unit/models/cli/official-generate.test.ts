/**
 * `4m generate` on an official model folder, end to end through the real engine: the folder is
 * built from the committed official-format fixtures (the 4M-21-layout FM of test/fixtures/official-fm
 * in fm/, the semseg VQ-VAE of test/fixtures/official-vqvae in tokenizers/semseg/, the RGB and depth
 * DiVAEs of test/fixtures/official-divae-rgb|depth in tokenizers/rgb|depth/, random weights),
 * a noise picture goes in as rgb, and the semseg and depth PNGs that come out must be what a direct
 * engine call (openOfficialFm → rgb@224 pixel input → runChain → decodeOfficialSemseg /
 * decodeOfficialDivae) gives.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREDICTION_SAMPLING } from '../../../../preload/contract/sampling-defaults';
import type { GenerationRequest } from '../../../../preload/contract/generation';
import { openOfficialFm } from '../../../../models/engine/fm/official-fm';
import { normalizeRgb } from '../../../../models/engine/fm/pixel-input';
import { planRequest } from '../../../../models/engine/generate/request-state';
import { decodeOfficialDivae, openOfficialDivae } from '../../../../models/engine/vq/official-divae';
import { divaeRgbValues } from '../../../../models/engine/vq/official-divae-image';
import { divaeInputFromPicture } from '../../../../models/engine/vq/official-divae-image';
import { layerImage } from '../../../../models/tokenizers/image';
import { decodeOfficialSemseg, officialSemsegPalette, openOfficialVqvae } from '../../../../models/engine/vq/official-vqvae';
import { generateOfficial, loadOfficialModel } from '../../../../models/engine/generate/official-model';
import { emptyImageTarget, fullImageInput, runChain } from '../../../../models/sampling';
import { readImage } from '../../../../models/cli/files';
import { encodeSamInstances, openOfficialSamInstanceTokenizer } from '../../../../models/engine/vq/official-sam-instance';
import { runLengths } from '../../../../models/tokenizers/image/sam-instances';
import { hashedPicture, rebuildCheckpoint, writeOfficialCheckpoint, type CheckpointFixture } from '../engine/fm/official-fixture';
import { runCli } from './run-cli';

const VQ_DIR = join(__dirname, '../../../fixtures/official-vqvae');
const VQ = JSON.parse(readFileSync(join(VQ_DIR, 'checkpoint.json'), 'utf8')) as CheckpointFixture;
const SAM_DIR = join(__dirname, '../../../fixtures/official-vqvae-sam');
const SAM = JSON.parse(readFileSync(join(SAM_DIR, 'checkpoint.json'), 'utf8')) as CheckpointFixture;
const DIVAE_DIR = (layer: string): string => join(__dirname, `../../../fixtures/official-divae-${layer}`);
const DIVAE = (layer: string): CheckpointFixture => JSON.parse(readFileSync(join(DIVAE_DIR(layer), 'checkpoint.json'), 'utf8')) as CheckpointFixture;

describe('4m generate on an official model folder (fm/ + tokenizers/semseg|rgb|depth/)', () => {
  const root = mkdtempSync(join(tmpdir(), 'official-model-'));
  const model = join(root, '4M-21-fixture');
  const picture = join(root, 'picture.png');
  beforeAll(async () => {
    mkdirSync(join(model, 'fm'), { recursive: true });
    mkdirSync(join(model, 'tokenizers', 'semseg'), { recursive: true });
    writeOfficialCheckpoint(join(model, 'fm'));
    rebuildCheckpoint(VQ, VQ_DIR, join(model, 'tokenizers', 'semseg'));
    for (const layer of ['rgb', 'depth']) {
      mkdirSync(join(model, 'tokenizers', layer), { recursive: true });
      rebuildCheckpoint(DIVAE(layer), DIVAE_DIR(layer), join(model, 'tokenizers', layer));
    }
    const img = hashedPicture('cli noise picture');
    await sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 4 } }).png().toFile(picture);
  }, 300_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('rgb → semseg: a 224×224 PNG decoded from the same tokens as a direct engine call', async () => {
    const out = join(root, 'semseg.png');
    const r = await runCli(['generate', '--model', model, '--in', `rgb=${picture}`, '--out', `semseg=${out}`, '--seed', '7', '--quiet']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/generated tok_semseg@224 in \d+ ms \(seed 7, official model/);
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height]).toEqual([224, 224]);

    // The direct engine call: the same picture, request and seed, without the CLI or the model folder code.
    const fm = await openOfficialFm(join(model, 'fm'), { providers: ['cpu'], intraOpThreads: 1 });
    const tok = await openOfficialVqvae(join(model, 'tokenizers', 'semseg'), { providers: ['cpu'], intraOpThreads: 1 });
    try {
      const cells = fm.setPicture('rgb@224', normalizeRgb(await readImage(picture), 224));
      const request: GenerationRequest = {
        version: 1, modelId: 'direct', seed: 7, cfgGrowConditioning: true,
        inputs: { 'rgb@224': { kind: 'image-pixels', ref: 'picture' } },
        targets: [{ modality: 'tok_semseg@224', ...PREDICTION_SAMPLING }],
      };
      const state = { 'rgb@224': fullImageInput(cells), 'tok_semseg@224': emptyImageTarget(196) };
      const final = await runChain(state, planRequest(request, state), { model: fm.runner, seed: 7, vocab: fm.vocab, maxTokens: {}, independentTargets: false });
      const tokens = (final['tok_semseg@224'] as { tokens: Int32Array }).tokens;
      expect(tokens.every((t) => t >= 0 && t < 4096)).toBe(true);
      const direct = await decodeOfficialSemseg(tok, tokens);
      const written = await readImage(out);
      expect(Buffer.from(written.data).equals(Buffer.from(direct.rgba.data))).toBe(true);
      console.log(`official rgb→semseg via the CLI: ${new Set(tokens).size} distinct tokens, ${new Set(direct.classMap).size} classes in the map; PNG identical to the direct engine call`);
    } finally {
      await Promise.all([fm.release(), tok.release()]);
    }
  }, 300_000);

  it('rgb → depth through the depth DiVAE: the PNG a direct engine call decodes from the same tokens', async () => {
    const out = join(root, 'depth.png');
    const r = await runCli(['generate', '--model', model, '--in', `rgb=${picture}`, '--out', `depth=${out}`, '--seed', '3', '--decode-steps', '2', '--quiet']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height]).toEqual([224, 224]);
    const fm = await openOfficialFm(join(model, 'fm'), { providers: ['cpu'], intraOpThreads: 1 });
    const tok = await openOfficialDivae(join(model, 'tokenizers', 'depth'), { providers: ['cpu'], intraOpThreads: 1 });
    try {
      const cells = fm.setPicture('rgb@224', normalizeRgb(await readImage(picture), 224));
      const request: GenerationRequest = {
        version: 1, modelId: 'direct', seed: 3, cfgGrowConditioning: true,
        inputs: { 'rgb@224': { kind: 'image-pixels', ref: 'picture' } },
        targets: [{ modality: 'tok_depth@224', ...PREDICTION_SAMPLING }],
      };
      const state = { 'rgb@224': fullImageInput(cells), 'tok_depth@224': emptyImageTarget(196) };
      const final = await runChain(state, planRequest(request, state), { model: fm.runner, seed: 3, vocab: fm.vocab, maxTokens: {}, independentTargets: false });
      const tokens = (final['tok_depth@224'] as { tokens: Int32Array }).tokens;
      const direct = await decodeOfficialDivae(tok, 'depth', tokens, { steps: 2 });
      const written = await readImage(out);
      // Written as the grey layer (white = near) that --in depth= reads back, not the turbo display.
      expect(Buffer.from(written.data).equals(Buffer.from(layerImage(direct).data))).toBe(true);
      expect(direct.layerPixels).toBeDefined();
    } finally {
      await Promise.all([fm.release(), tok.release()]);
    }
  }, 300_000);

  it('caption → semseg with a WordPiece file in the folder (a small vocabulary with 4M\'s special ids)', async () => {
    const withText = join(root, 'with-text');
    mkdirSync(withText);
    symlinkSync(join(model, 'fm'), join(withText, 'fm'));
    symlinkSync(join(model, 'tokenizers'), join(withText, 'tokenizers'));
    copyFileSync(join(__dirname, '../../../fixtures/tokenizers/wordpiece-4m-small.tokenizer.json'), join(withText, 'text_tokenizer_4m_wordpiece_30k.json'));
    const out = join(root, 'caption-semseg.png');
    const r = await runCli(['generate', '--model', withText, '--in', 'caption=a dog on the grass', '--out', `semseg=${out}`, '--steps', '2', '--quiet']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height]).toEqual([224, 224]);
    // caption → RGB picture through the RGB DiVAE (one denoising step: this checks the wiring).
    const rgbOut = join(root, 'caption-rgb.png');
    const r2 = await runCli(['generate', '--model', withText, '--in', 'caption=a dog on the grass', '--out', `rgb=${rgbOut}`, '--steps', '2', '--decode-steps', '1', '--quiet']);
    expect(r2.err).toBe('');
    expect(r2.code).toBe(0);
    const rgbMeta = await sharp(rgbOut).metadata();
    expect([rgbMeta.width, rgbMeta.height]).toEqual([224, 224]);
  }, 300_000);

  it('a painted segmentation goes in: its colours read as the official classes and encoded by the semseg tokenizer', async () => {
    // A map in the decoder's palette, as an artist would paint it: left half class 17 (dog), right half class 120 (sky), a void row.
    const palette = officialSemsegPalette(134);
    const map = new Uint8Array(224 * 224).map((_, i) => (i < 224 ? 0 : i % 224 < 112 ? 17 : 120));
    const rgba = new Uint8ClampedArray(224 * 224 * 4);
    map.forEach((c, i) => rgba.set([...(palette[c]?.color ?? [0, 0, 0]), 255], i * 4));
    const painted = join(root, 'painted-semseg.png');
    await sharp(Buffer.from(rgba), { raw: { width: 224, height: 224, channels: 4 } }).png().toFile(painted);

    const loaded = await loadOfficialModel(model);
    const tok = await openOfficialVqvae(join(model, 'tokenizers', 'semseg'), { providers: ['cpu'], intraOpThreads: 1 });
    try {
      const request: GenerationRequest = {
        version: 1, modelId: 'direct', seed: 5, cfgGrowConditioning: true,
        inputs: { 'tok_semseg@224': { kind: 'image-pixels', ref: 'painted' } },
        targets: [{ modality: 'tok_depth@224', ...PREDICTION_SAMPLING }],
      };
      const res = await generateOfficial(loaded, request, { resolvePixels: async () => readImage(painted), decode: { steps: 1 } });
      expect(Array.from(res.tokens['tok_semseg@224'] ?? [])).toEqual(Array.from(await tok.tokenize(map)));
      expect(res.outputs['tok_depth@224']?.image?.rgba.width).toBe(224);
    } finally {
      await Promise.all([loaded.release(), tok.release()]);
    }
    // The same from the command line.
    const out = join(root, 'painted-depth.png');
    const r = await runCli(['generate', '--model', model, '--in', `semseg=${painted}`, '--out', `depth=${out}`, '--decode-steps', '1', '--quiet']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  }, 300_000);

  it('a painted depth goes in through the depth DiVAE encoder (grey, white = near), and a wrong picture is refused', async () => {
    // A floor coming closer towards the bottom, a near square: what the editor's depth layer holds.
    const grey = new Uint8Array(224 * 224).map((_, i) => (Math.floor(i / 224) < 90 ? 0 : 60 + Math.floor(i / 224) - 90));
    for (let y = 120; y < 180; y++) for (let x = 40; x < 100; x++) grey[y * 224 + x] = 230;
    const rgba = new Uint8Array(224 * 224 * 4);
    grey.forEach((v, i) => rgba.set([v, v, v, 255], i * 4));
    const painted = join(root, 'painted-depth-in.png');
    await sharp(Buffer.from(rgba), { raw: { width: 224, height: 224, channels: 4 } }).png().toFile(painted);

    const loaded = await loadOfficialModel(model);
    const tok = await openOfficialDivae(join(model, 'tokenizers', 'depth'), { providers: ['cpu'], intraOpThreads: 1 });
    try {
      const request: GenerationRequest = {
        version: 1, modelId: 'direct', seed: 5, cfgGrowConditioning: true,
        inputs: { 'tok_depth@224': { kind: 'image-pixels', ref: 'painted' } },
        targets: [{ modality: 'tok_semseg@224', ...PREDICTION_SAMPLING }],
      };
      const res = await generateOfficial(loaded, request, { resolvePixels: async () => readImage(painted) });
      const want = await tok.tokenize(divaeInputFromPicture('depth', await readImage(painted), { channels: 1, size: 224, grid: 14, where: 'depth' }));
      expect(Array.from(res.tokens['tok_depth@224'] ?? [])).toEqual(Array.from(want));
      expect(res.outputs['tok_semseg@224']?.image?.classMap?.length).toBe(224 * 224);
    } finally {
      await Promise.all([loaded.release(), tok.release()]);
    }
    // From the command line: depth → RGB (one denoising step: this checks the wiring), and a decoded
    // depth read back in as it was written.
    const rgbOut = join(root, 'from-depth-rgb.png');
    const r = await runCli(['generate', '--model', model, '--in', `depth=${painted}`, '--out', `rgb=${rgbOut}`, '--steps', '2', '--decode-steps', '1', '--quiet']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect((await sharp(rgbOut).metadata()).width).toBe(224);
    const decoded = join(root, 'depth.png');
    const r1 = await runCli(['generate', '--model', model, '--in', `depth=${decoded}`, '--out', `semseg=${join(root, 'from-decoded-depth.png')}`, '--steps', '2', '--quiet']);
    expect(r1.err).toBe('');
    expect(r1.code).toBe(0);
    // A colour picture (a photo, a turbo render) as depth, and a tiny one: refused, saying what depth takes.
    const r2 = await runCli(['generate', '--model', model, '--in', `depth=${picture}`, '--out', `semseg=${join(root, 'x.png')}`, '--quiet']);
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/inputs\.tok_depth@224: the picture is in colour \(\d+ % of its pixels\); depth takes a grey depth map \(white = near, black = far\), not a colour-mapped render/);
    const tiny = join(root, 'tiny.png');
    await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 90, g: 90, b: 90 } } }).png().toFile(tiny);
    const r3 = await runCli(['generate', '--model', model, '--in', `depth=${tiny}`, '--out', `semseg=${join(root, 'x.png')}`, '--quiet']);
    expect(r3.code).toBe(2);
    expect(r3.err).toContain('inputs.tok_depth@224: the picture is 8×8 px; depth needs at least 14×14 (one pixel per token; it is scaled to 224×224)');
    // Normals without a normal tokenizer folder: said so.
    const r4 = await runCli(['generate', '--model', model, '--in', `normals=${picture}`, '--out', `semseg=${join(root, 'x.png')}`, '--quiet']);
    expect(r4.code).toBe(2);
    expect(r4.err).toContain('inputs.tok_normal@224: a painted tok_normal@224 cannot go in: it has no tokenizer folder to encode it');
  }, 300_000);

  it('masked regeneration: RGB kept outside the mask (DiVAE-encoded tokens, the input pixels in the PNG), generated inside', async () => {
    // Tokens: the region rows 5…8, columns 4…9 (pixels 64…159 × 80…143) is regenerated.
    const keepMask = Array.from({ length: 196 }, (_, i) => (Math.floor(i / 14) >= 5 && Math.floor(i / 14) <= 8 && i % 14 >= 4 && i % 14 <= 9 ? 0 : 1)) as (0 | 1)[];
    const loaded = await loadOfficialModel(model);
    const tok = await openOfficialDivae(join(model, 'tokenizers', 'rgb'), { providers: ['cpu'], intraOpThreads: 1 });
    try {
      const pic = await readImage(picture);
      const request: GenerationRequest = {
        version: 1, modelId: 'direct', seed: 4, cfgGrowConditioning: true,
        inputs: { 'tok_rgb@224': { kind: 'image-pixels', ref: 'picture', keepMask } },
        targets: [{ modality: 'tok_rgb@224', scheme: 'maskgit', steps: 4, tokenSchedule: 'cosine', temperature: 1, temperatureSchedule: 'constant', cfgScale: 1, topK: 0, topP: 0 }],
      };
      let steps = 0;
      const res = await generateOfficial(loaded, request, { resolvePixels: async () => pic, decode: { steps: 1 }, onStep: () => steps++ });
      const encoded = await tok.tokenize(divaeRgbValues(pic));
      const tokens = res.tokens['tok_rgb@224'] as Int32Array;
      keepMask.forEach((k, i) => k === 1 && expect(tokens[i]).toBe(encoded[i]));
      expect(keepMask.filter((k, i) => k === 0 && tokens[i] !== encoded[i]).length).toBeGreaterThan(0);
      expect(steps).toBe(4);
      // The whole grid is decoded (4M re-decodes the kept part too).
      expect(res.outputs['tok_rgb@224']?.image?.rgba.width).toBe(224);
      // A keepMask of the wrong length, and one that keeps everything, are named.
      const bad = (mask: (0 | 1)[]) => generateOfficial(loaded, { ...request, inputs: { 'tok_rgb@224': { kind: 'image-pixels', ref: 'picture', keepMask: mask } } }, { resolvePixels: async () => pic });
      await expect(bad([0, 1])).rejects.toThrow('inputs.tok_rgb@224.keepMask: 2 entries, the model\'s 14×14 grid has 196 tokens');
      await expect(bad(new Array<0 | 1>(196).fill(1))).rejects.toThrow('inputs.tok_rgb@224.keepMask: keeps every token; nothing to regenerate');
    } finally {
      await Promise.all([loaded.release(), tok.release()]);
    }

    // The same from the command line: --in rgb=… --mask … --out rgb=…
    const mask = Buffer.alloc(224 * 224 * 3);
    for (let y = 80; y < 144; y++) mask.fill(255, (y * 224 + 64) * 3, (y * 224 + 160) * 3);
    const maskFile = join(root, 'mask.png');
    await sharp(mask, { raw: { width: 224, height: 224, channels: 3 } }).png().toFile(maskFile);
    const out = join(root, 'masked-rgb.png');
    const r = await runCli(['generate', '--model', model, '--in', `rgb=${picture}`, '--mask', maskFile, '--out', `rgb=${out}`, '--steps', '2', '--decode-steps', '1', '--quiet']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const input = await readImage(picture);
    const written = await readImage(out);
    let outsideSame = true;
    let insideChanged = 0;
    for (let y = 0; y < 224; y++) {
      for (let x = 0; x < 224; x++) {
        const i = (y * 224 + x) * 4;
        const same = [0, 1, 2].every((c) => written.data[i + c] === input.data[i + c]);
        if ((x < 48 || x >= 176 || y < 64 || y >= 160) && !same) outsideSame = false;
        if (x >= 80 && x < 144 && y >= 96 && y < 128 && !same) insideChanged++;
      }
    }
    expect(outsideSame).toBe(true);
    expect(insideChanged).toBeGreaterThan(1000);
    // A segmentation region goes the same way (encoded by the VQ-VAE); a mask without a matching --in is named.
    const semOut = join(root, 'masked-semseg.png');
    const r2 = await runCli(['generate', '--model', model, '--in', `semseg=${join(root, 'painted-semseg.png')}`, '--mask', maskFile, '--out', `semseg=${semOut}`, '--steps', '2', '--quiet']);
    expect(r2.err).toBe('');
    expect(r2.code).toBe(0);
    const r3 = await runCli(['generate', '--model', model, '--in', `rgb=${picture}`, '--mask', maskFile, '--out', `semseg=${semOut}`, '--quiet']);
    expect(r3.code).toBe(2);
    expect(r3.err).toContain('--mask: no picture --out is also an --in');
  }, 300_000);

  it('boxes and palettes: JSON in (official serialization), det and color_palette out as JSON', async () => {
    const withText = join(root, 'with-text-boxes');
    mkdirSync(withText);
    symlinkSync(join(model, 'fm'), join(withText, 'fm'));
    symlinkSync(join(model, 'tokenizers'), join(withText, 'tokenizers'));
    copyFileSync(join(__dirname, '../../../fixtures/tokenizers/wordpiece-4m-small.tokenizer.json'), join(withText, 'text_tokenizer_4m_wordpiece_30k.json'));
    const boxes = join(root, 'boxes.json');
    writeFileSync(boxes, JSON.stringify([{ x0: 0.1, y0: 0.2, x1: 0.5, y1: 0.9, label: 'dog' }, { x0: 0.6, y0: 0.1, x1: 0.9, y1: 0.4, label: 'dining table' }]));
    const palette = join(root, 'palette.json');
    writeFileSync(palette, JSON.stringify([[200, 30, 30], [20, 120, 40]]));
    const semOut = join(root, 'boxes-semseg.png');
    const r = await runCli(['generate', '--model', withText, '--in', `boxes=${boxes}`, '--in', `palette=${palette}`, '--out', `semseg=${semOut}`, '--steps', '2', '--quiet']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    // A label the model never saw as a box label is refused before anything runs, with a hint.
    const bad = join(root, 'bad-boxes.json');
    writeFileSync(bad, JSON.stringify([{ x0: 0.1, y0: 0.2, x1: 0.5, y1: 0.9, label: 'table' }]));
    const r2 = await runCli(['generate', '--model', withText, '--in', `boxes=${bad}`, '--out', `semseg=${semOut}`, '--quiet']);
    expect(r2.code).toBe(2);
    expect(r2.err).toContain('boxes[0].label "table" is not a class this model knows as a box label (did you mean "dining table"?)');
    // picture → boxes and palette: random weights say nothing sensible, but the files are the bundled models' JSON.
    const picture2 = join(root, 'picture.png');
    const detOut = join(root, 'det.json');
    const palOut = join(root, 'palette-out.json');
    const r3 = await runCli(['generate', '--model', withText, '--in', `rgb=${picture2}`, '--out', `boxes=${detOut}`, '--out', `palette=${palOut}`, '--independent', '--quiet']);
    expect(r3.err).toBe('');
    expect(r3.code).toBe(0);
    const det = JSON.parse(readFileSync(detOut, 'utf8')) as { text: string; boxes: unknown[]; dropped: unknown[] };
    expect(typeof det.text).toBe('string');
    expect(Array.isArray(det.boxes) && Array.isArray(det.dropped)).toBe(true);
    const pal = JSON.parse(readFileSync(palOut, 'utf8')) as { colors: unknown[] };
    expect(Array.isArray(pal.colors)).toBe(true);
  }, 300_000);

  it('rgb → SAM instances: a transparent PNG of masks and the raw instances as JSON, through tokenizers/sam-instance_1k_64/', async () => {
    const withSam = join(root, 'with-sam');
    mkdirSync(join(withSam, 'tokenizers', 'sam-instance_1k_64'), { recursive: true });
    symlinkSync(join(model, 'fm'), join(withSam, 'fm'));
    rebuildCheckpoint(SAM, SAM_DIR, join(withSam, 'tokenizers', 'sam-instance_1k_64'));
    copyFileSync(join(__dirname, '../../../fixtures/tokenizers/wordpiece-4m-small.tokenizer.json'), join(withSam, 'text_tokenizer_4m_wordpiece_30k.json'));
    const png = join(root, 'masks.png');
    const r = await runCli(['generate', '--model', withSam, '--in', `rgb=${picture}`, '--out', `sam_instance=${png}`, '--seed', '3', '--quiet']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/generated sam_instance in \d+ ms/);
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([224, 224, 4]);
    const json = join(root, 'masks.json');
    const r2 = await runCli(['generate', '--model', withSam, '--in', `rgb=${picture}`, '--out', `instances=${json}`, '--seed', '3', '--quiet']);
    expect(r2.code).toBe(0);
    const read = JSON.parse(readFileSync(json, 'utf8')) as { text: string; width: number; instances: unknown[]; dropped: unknown[] };
    expect(typeof read.text).toBe('string');
    expect(read.width).toBe(224);
    expect(Array.isArray(read.instances) && Array.isArray(read.dropped)).toBe(true);
    // Random weights write no complete instance: the picture is all transparent, the same for the same seed.
    const written = await readImage(png);
    expect(written.data.filter((_, i) => i % 4 === 3).every((a) => a === 0)).toBe(read.instances.length === 0);
    // Without the tokenizer folder, masks are refused before the run; the text still comes out.
    const r3 = await runCli(['generate', '--model', model, '--in', `rgb=${picture}`, '--out', `sam_instance=${png}`, '--quiet']);
    expect(r3.code).toBe(2);
    expect(r3.err).toContain('decoding SAM instances into masks needs the SAM-instance tokenizer folder (EPFL-VILAB/4M_tokenizers_sam-instance_1k_64)');
  }, 300_000);

  it('--in sam_instance=masks.png|masks.json: the masks cropped and tokenized into the text the FM reads, as a direct encode gives', async () => {
    const withSam = join(root, 'with-sam-in');
    mkdirSync(join(withSam, 'tokenizers', 'sam-instance_1k_64'), { recursive: true });
    symlinkSync(join(model, 'fm'), join(withSam, 'fm'));
    symlinkSync(join(model, 'tokenizers', 'semseg'), join(withSam, 'tokenizers', 'semseg'));
    rebuildCheckpoint(SAM, SAM_DIR, join(withSam, 'tokenizers', 'sam-instance_1k_64'));
    copyFileSync(join(__dirname, '../../../fixtures/tokenizers/wordpiece-4m-small.tokenizer.json'), join(withSam, 'text_tokenizer_4m_wordpiece_30k.json'));
    // Two objects as --out sam_instance=masks.png paints them: flat colours over transparency.
    const S = 224;
    const inside = (x: number, y: number): number => ((x - 60) ** 2 / 900 + (y - 70) ** 2 / 400 <= 1 ? 1 : x >= 120 && x < 200 && y >= 130 && y < 190 ? 2 : 0);
    const rgba = new Uint8Array(S * S * 4);
    for (let i = 0; i < S * S; i++) {
      const k = inside(i % S, Math.floor(i / S));
      if (k) rgba.set(k === 1 ? [230, 120, 20, 255] : [40, 90, 220, 255], i * 4);
    }
    const png = join(root, 'objects.png');
    await sharp(Buffer.from(rgba), { raw: { width: S, height: S, channels: 4 } }).png().toFile(png);
    const masks = [1, 2].map((k) => ({ width: S, height: S, mask: Uint8Array.from({ length: S * S }, (_, i) => (inside(i % S, Math.floor(i / S)) === k ? 1 : 0)) }));
    const tok = await openOfficialSamInstanceTokenizer(join(withSam, 'tokenizers', 'sam-instance_1k_64'), { providers: ['cpu'], intraOpThreads: 1 });
    const direct = await encodeSamInstances(tok, masks).finally(() => tok.release());
    expect(direct.instances).toHaveLength(2);
    expect(direct.text).toMatch(/^point v0=\d+ v1=\d+ polygon v0=30 v1=50 v2=90 v3=90 (v[01]=\d+ ){16}point v0=\d+ v1=\d+ polygon v0=120 v1=130 v2=199 v3=189( v[01]=\d+){16}$/);

    const run = (input: string, out: string) => runCli(['generate', '--model', withSam, '--in', `sam_instance=${input}`, '--out', `semseg=${out}`, '--steps', '2', '--seed', '4']);
    const fromPng = join(root, 'sam-in-png.png');
    const r = await run(png, fromPng);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`read 2 SAM instances from ${png} (2 query points)`);
    // The same masks as the text itself, and as the JSON --out writes: the same picture.
    const fromText = join(root, 'sam-in-text.png');
    expect((await run(direct.text, fromText)).code).toBe(0);
    const json = join(root, 'objects.json');
    writeFileSync(json, JSON.stringify({ width: S, height: S, instances: masks.map((m) => ({ placed: { x: 0, y: 0, width: S, height: S, counts: runLengths(m.mask) } })) }));
    const fromJson = join(root, 'sam-in-json.png');
    expect((await run(json, fromJson)).code).toBe(0);
    const [a, b, c] = await Promise.all([fromPng, fromText, fromJson].map((f) => readImage(f)));
    expect(Buffer.from(a?.data ?? []).equals(Buffer.from(b?.data ?? []))).toBe(true);
    expect(Buffer.from(a?.data ?? []).equals(Buffer.from(c?.data ?? []))).toBe(true);

    // Bad files are named with what is wrong; a folder without the SAM tokenizer says where it goes.
    const small = join(root, 'objects-small.png');
    await sharp(png).resize(100, 100, { kernel: 'nearest' }).png().toFile(small);
    const r2 = await run(small, fromPng);
    expect(r2.code).toBe(2);
    expect(r2.err).toContain(`${small}: a 100×100 picture; SAM instances are painted on the 224×224 picture`);
    const many = new Uint8Array(S * S * 4);
    for (let k = 0; k < 20; k++) {
      const [x0, y0] = [(k % 5) * 40 + 10, Math.floor(k / 5) * 40 + 10];
      for (let y = y0; y < y0 + 12; y++) for (let x = x0; x < x0 + 12; x++) many.set([40 + k * 10, 200 - k * 5, 90, 255], (y * S + x) * 4);
    }
    const crowded = join(root, 'crowded.png');
    await sharp(Buffer.from(many), { raw: { width: S, height: S, channels: 4 } }).png().toFile(crowded);
    const r3 = await run(crowded, fromPng);
    expect(r3.code).toBe(2);
    expect(r3.err).toMatch(/20 objects \(with their query points\) are \d+ tokens with the end mark; the model reads at most \d+ \(about \d+ objects\): give fewer objects/);
    const r4 = await runCli(['generate', '--model', model, '--in', `sam_instance=${png}`, '--out', `semseg=${fromPng}`, '--quiet']);
    expect(r4.code).toBe(2);
    expect(r4.err).toContain('reading masks needs the SAM-instance tokenizer folder (EPFL-VILAB/4M_tokenizers_sam-instance_1k_64)');
  }, 300_000);

  it('refuses bad folders and missing tokenizers, naming the file or folder and the problem', async () => {
    const out = join(root, 'x.png');
    // A tokenizer folder put where it does not fit: the semseg tokenizer as tokenizers/rgb.
    const wrong = join(root, 'wrong');
    mkdirSync(join(wrong, 'tokenizers'), { recursive: true });
    symlinkSync(join(model, 'fm'), join(wrong, 'fm'));
    symlinkSync(join(model, 'tokenizers', 'semseg'), join(wrong, 'tokenizers', 'rgb'));
    let r = await runCli(['generate', '--model', wrong, '--in', `rgb=${picture}`, '--out', `semseg=${out}`, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`4m: ${join(wrong, 'tokenizers', 'rgb', 'model.safetensors')}: cannot decode "tok_rgb@224" has a vocabulary of 16384, the tokenizer 4096 codes`);
    // An fm/ folder without a checkpoint.
    const empty = join(root, 'empty');
    mkdirSync(join(empty, 'fm'), { recursive: true });
    r = await runCli(['generate', '--model', empty, '--in', `rgb=${picture}`, '--out', `semseg=${out}`, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`4m: ${join(empty, 'fm')}: no .safetensors checkpoint`);
    // An output whose tokenizer folder is absent; the model found by its folder name in STUDIO_MODELS_PATH.
    const saved = process.env.STUDIO_MODELS_PATH;
    process.env.STUDIO_MODELS_PATH = root;
    try {
      r = await runCli(['generate', '--model', '4M-21-fixture', '--in', `rgb=${picture}`, '--out', `normal=${out}`, '--quiet']);
    } finally {
      if (saved === undefined) delete process.env.STUDIO_MODELS_PATH;
      else process.env.STUDIO_MODELS_PATH = saved;
    }
    expect(r.code).toBe(2);
    expect(r.err).toContain(`tok_normal@224 has no tokenizer to decode it; put its tokenizer folder (config.json + model.safetensors) at ${join(model, 'tokenizers', 'normal')}`);
    // Caption needs the WordPiece file, which this folder does not have.
    r = await runCli(['generate', '--model', model, '--in', 'caption=a dog', '--out', `semseg=${out}`, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('text needs 4M\'s WordPiece file; put text_tokenizer_4m_wordpiece_30k.json into');
  }, 300_000);
});
