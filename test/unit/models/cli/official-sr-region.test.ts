/**
 * Masked regeneration at 448 px on 4M's super-resolution model (the 4M-7-SR-layout FM fixture with
 * the RGB DiVAE fixture in tokenizers/rgb/, opened at 448 there), through generateOfficial (the
 * editor's path) and `4m generate --model <sr> --in rgb=… --mask … --out rgb=…`. Random weights:
 * the new pixels are noise; checked are the shapes, which tokens are generated, that the kept tokens
 * are the picture's own, that rgb@224 goes in as the picture downsampled with the region's patches
 * hidden, and that the written PNG equals the input outside the region.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImage } from '../../../../models/cli/files';
import { generateOfficial, loadOfficialModel, type OfficialModel } from '../../../../models/engine/generate/official-model';
import { divaeInputFromPicture } from '../../../../models/engine/vq/official-divae-image';
import type { GenerationRequest } from '../../../../preload/contract/generation';
import { hashedPicture, writeOfficialSrFolder } from '../engine/fm/official-fixture';
import { runCli } from './run-cli';

/** Token rows 10–13, columns 8–15 of the 28×28 grid: 32 tokens to regenerate. */
const inRegion = (r: number, c: number): boolean => r >= 10 && r < 14 && c >= 8 && c < 16;

describe('masked regeneration at 448 px on the SR model', () => {
  const root = mkdtempSync(join(tmpdir(), 'official-sr-region-'));
  const sr = join(root, '4M-7-SR-fixture');
  const picture = hashedPicture('sr region picture', 448);
  let model: OfficialModel;
  beforeAll(async () => {
    writeOfficialSrFolder(sr, ['rgb']);
    model = await loadOfficialModel(sr, { providers: ['cpu'], intraOpThreads: 1 });
  }, 300_000);
  afterAll(async () => {
    await model?.release();
    rmSync(root, { recursive: true, force: true });
  });

  it('tok_rgb@448: only the masked tokens are generated; rgb@224 is the picture at half size without the region', async () => {
    const keep = Array.from({ length: 784 }, (_, i) => (inRegion(Math.floor(i / 28), i % 28) ? 0 : 1) as 0 | 1);
    const request: GenerationRequest = {
      version: 1, modelId: 'sr', seed: 5, cfgGrowConditioning: true,
      inputs: { 'tok_rgb@448': { kind: 'image-pixels', ref: 'pic', keepMask: keep } },
      targets: [{ modality: 'tok_rgb@448', scheme: 'maskgit', steps: 4, tokenSchedule: 'cosine', temperature: 1, temperatureSchedule: 'constant', cfgScale: 1, topK: 0, topP: 0 }],
    };
    const asked: string[] = [];
    const res = await generateOfficial(model, request, {
      resolvePixels: async (ref) => (asked.push(ref), picture),
      decode: { steps: 2 },
    });
    // The picture is read for tok_rgb@448 and again for the derived rgb@224 (never asked for by its own ref).
    expect(asked).toEqual(['pic', 'pic']);
    // The kept tokens are the picture's own (its DiVAE encoding at 448), the rest generated.
    const tok = model.tokenizers.get('tok_rgb@448');
    if (tok?.kind !== 'divae') throw new Error('no RGB DiVAE at 448');
    expect(tok.imageSize).toBe(448);
    const encoded = await tok.tokenize(divaeInputFromPicture('rgb', picture, { channels: tok.channels, size: 448, grid: 28, where: 'test' }));
    const out = res.tokens['tok_rgb@448'] as Int32Array;
    expect(out).toHaveLength(784);
    let changed = 0;
    for (let i = 0; i < 784; i++) {
      if (keep[i] === 1) expect(out[i]).toBe(encoded[i]);
      else if (out[i] !== encoded[i]) changed++;
    }
    expect(changed).toBeGreaterThan(16); // random weights: almost every generated token differs
    // rgb@224: 14×14 patches, visible except the 2×4 over the region (rows 5–6, columns 4–7).
    const coarse = res.states['rgb@224'];
    expect(coarse?.inputMask).toHaveLength(196);
    const hidden = Array.from(coarse!.inputMask).flatMap((v, i) => (v === 1 ? [[Math.floor(i / 14), i % 14]] : []));
    expect(hidden).toEqual([[5, 4], [5, 5], [5, 6], [5, 7], [6, 4], [6, 5], [6, 6], [6, 7]]);
    const image = res.outputs['tok_rgb@448']?.image?.rgba;
    expect([image?.width, image?.height]).toEqual([448, 448]);
    console.log(`SR region at 448: ${changed}/32 masked tokens changed, 752 kept identical, rgb@224 with 8 of 196 patches hidden`);
  }, 300_000);

  it('4m generate --model <sr> --in rgb=448.png --mask --out rgb: a 448 PNG equal to the input outside the region', async () => {
    const input = join(root, 'big.png');
    const mask = join(root, 'mask.png');
    const out = join(root, 'out.png');
    await sharp(Buffer.from(picture.data), { raw: { width: 448, height: 448, channels: 4 } }).png().toFile(input);
    const m = Buffer.alloc(448 * 448 * 4);
    for (let y = 0; y < 448; y++) {
      for (let x = 0; x < 448; x++) {
        const p = (y * 448 + x) * 4;
        m.fill(inRegion(Math.floor(y / 16), Math.floor(x / 16)) ? 255 : 0, p, p + 3);
        m[p + 3] = 255;
      }
    }
    await sharp(m, { raw: { width: 448, height: 448, channels: 4 } }).png().toFile(mask);
    const r = await runCli(['generate', '--model', sr, '--in', `rgb=${input}`, '--mask', mask, '--out', `rgb=${out}`, '--seed', '3', '--decode-steps', '2', '--quiet']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/generated tok_rgb@448 in \d+ ms \(seed 3, official model/);
    const img = await readImage(out);
    expect([img.width, img.height]).toEqual([448, 448]);
    // Outside the region and its seam (half a token each way), the input's pixels exactly.
    let same = 0;
    let inside = 0;
    let differs = 0;
    for (let y = 0; y < 448; y++) {
      for (let x = 0; x < 448; x++) {
        const near = y >= 10 * 16 - 8 && y < 14 * 16 + 8 && x >= 8 * 16 - 8 && x < 16 * 16 + 8;
        const p = (y * 448 + x) * 4;
        const equal = [0, 1, 2].every((c) => img.data[p + c] === picture.data[p + c]);
        if (!near) {
          expect(equal).toBe(true);
          same++;
        } else if (inRegion(Math.floor(y / 16), Math.floor(x / 16))) {
          inside++;
          if (!equal) differs++;
        }
      }
    }
    expect(differs).toBeGreaterThan(inside / 2);
    console.log(`CLI SR region: ${same} pixels outside identical, ${differs}/${inside} inside changed`);
  }, 300_000);
});
