/**
 * `4m generate --model <official model> … --upscale <official SR model>` end to end through the real
 * engine: the base folder is the 4M-21-layout FM fixture with the semseg VQ-VAE, the SR folder the
 * 4M-7-SR-layout FM fixture with the same semseg tokenizer (opened at 448 px there); random weights.
 * A noise picture goes in as rgb; the semseg PNG that comes out is 448 × 448 and is what the SR
 * model's tokens decode to.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImage } from '../../../../models/cli/files';
import { loadOfficialModel } from '../../../../models/engine/generate/official-model';
import { upscaleTargets } from '../../../../models/engine/generate/official-upscale';
import { hashedPicture, rebuildCheckpoint, writeOfficialCheckpoint, writeOfficialSrFolder, type CheckpointFixture } from '../engine/fm/official-fixture';
import { runCli } from './run-cli';

const VQ_DIR = join(__dirname, '../../../fixtures/official-vqvae');
const VQ = JSON.parse(readFileSync(join(VQ_DIR, 'checkpoint.json'), 'utf8')) as CheckpointFixture;

describe('4m generate --upscale <official super-resolution model>', () => {
  const root = mkdtempSync(join(tmpdir(), 'official-upscale-cli-'));
  const base = join(root, '4M-21-fixture');
  const sr = join(root, '4M-7-SR-fixture');
  const picture = join(root, 'picture.png');
  beforeAll(async () => {
    mkdirSync(join(base, 'fm'), { recursive: true });
    mkdirSync(join(base, 'tokenizers', 'semseg'), { recursive: true });
    writeOfficialCheckpoint(join(base, 'fm'));
    rebuildCheckpoint(VQ, VQ_DIR, join(base, 'tokenizers', 'semseg'));
    writeOfficialSrFolder(sr, ['semseg']);
    const img = hashedPicture('cli upscale picture');
    await sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 4 } }).png().toFile(picture);
  }, 300_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('rgb → semseg, upscaled: a 448×448 PNG of the SR model\'s tokens (seed + 1)', async () => {
    const out = join(root, 'semseg-448.png');
    const r = await runCli(['generate', '--model', base, '--in', `rgb=${picture}`, '--out', `semseg=${out}`, '--seed', '7', '--upscale', sr, '--quiet']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/generated tok_semseg@224 in \d+ ms \(seed 7, official model/);
    expect(r.out).toMatch(new RegExp(`upscaled tok_semseg@448 in \\d+ ms \\(seed 8, super-resolution model ${sr.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`));
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height]).toEqual([448, 448]);
    // The picture is a semseg map: every pixel one of the SR tokenizer's class colours.
    const img = await readImage(out);
    const colours = new Set<number>();
    for (let p = 0; p < 448 * 448; p++) colours.add((img.data[p * 4] as number) * 65536 + (img.data[p * 4 + 1] as number) * 256 + (img.data[p * 4 + 2] as number));
    expect(colours.size).toBeGreaterThan(1);
    console.log(`official rgb→semseg ×2 via the CLI: 448×448 PNG with ${colours.size} class colours`);
  }, 600_000);

  it('refuses an output the SR folder cannot upscale before the 224 run, naming the folder and the modality', async () => {
    const out = join(root, 'x.png');
    // The base model has a depth output but the SR folder has no tokenizers/depth.
    mkdirSync(join(base, 'tokenizers', 'depth'), { recursive: true });
    rebuildCheckpoint(JSON.parse(readFileSync(join(__dirname, '../../../fixtures/official-divae-depth/checkpoint.json'), 'utf8')) as CheckpointFixture, join(__dirname, '../../../fixtures/official-divae-depth'), join(base, 'tokenizers', 'depth'));
    let r = await runCli(['generate', '--model', base, '--in', `rgb=${picture}`, '--out', `depth=${out}`, '--upscale', sr, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`4m: ${sr}: tok_depth@448 has no tokenizer to decode it at 448 px; put its tokenizer folder (config.json + model.safetensors) at ${join(sr, 'tokenizers', 'depth')}\n`);
    expect(r.out).toBe('');
    // An --upscale folder that is not an official model folder.
    r = await runCli(['generate', '--model', base, '--in', `rgb=${picture}`, '--out', `semseg=${out}`, '--upscale', join(sr, 'tokenizers'), '--quiet']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`is not an official 4M model folder`);
    // Only text outputs: nothing to upscale.
    r = await runCli(['generate', '--model', base, '--in', `rgb=${picture}`, '--out', `caption=${join(root, 'c.txt')}`, '--upscale', sr, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('4m: --upscale: no picture --out to upscale (only caption)\n');
    // The base model (4M-21 layout) has outputs the SR model has no 448 twin for.
    const model = await loadOfficialModel(sr, { providers: ['cpu'], intraOpThreads: 1 });
    try {
      expect(() => upscaleTargets(model, ['tok_canny_edge@224'])).toThrow(`${sr}: the SR model cannot upscale tok_canny_edge@224: it predicts no tok_canny_edge@448`);
    } finally {
      await model.release();
    }
  }, 300_000);
});
