/**
 * The official tokenizers at a 28×28 token grid (448 px), what the super-resolution model produces:
 * test/fixtures/official-tokenizers-448 holds what the official code
 * (models/recipe/fourm_recipe/official/tokenizers_448.py) decoded from 28×28 ids on the semseg
 * VQ-VAE and RGB DiVAE fixture checkpoints (rebuilt here byte for byte from their own fixtures):
 * VQ-VAE class logits, and a 2-step DDIM DiVAE decode at image_size 448 with injected noise; the
 * same for the 1-channel depth DiVAE (its own DDPM scheduler, 2 steps) and a normal-map DiVAE
 * (3 channels, 8,192 codes; its checkpoint is described in official-tokenizers-448/divae-normal).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialModalityTable } from '../../../../../models/engine/fm/official-modalities';
import { openOfficialDivae, type OfficialDivae } from '../../../../../models/engine/vq/official-divae';
import { divaeImage } from '../../../../../models/engine/vq/official-divae-image';
import { checkTokenizerFits, decodeOfficialSemseg, openOfficialVqvae, type OfficialVqvae } from '../../../../../models/engine/vq/official-vqvae';
import { parseFmConfig } from '../../../../../models/registry/checkpoint-config';
import { hashedNormal, rebuildCheckpoint, SR_CHECKPOINT, type CheckpointFixture } from '../fm/official-fixture';

const FIXTURES = join(__dirname, '../../../../fixtures');
interface DivaeReference {
  checkpointSha256: string;
  checkpoint: string;
  ids: number[];
  shape: number[];
  scheduler: 'ddpm' | 'ddim';
  steps: number;
  timesteps: number[];
  noisePrefix: string;
  noiseDraws: number;
  indices: number[];
  file: string;
  maxAbs: number;
}
interface Reference {
  size: number;
  depth: DivaeReference;
  normal: DivaeReference;
  grid: number;
  semseg: { checkpointSha256: string; ids: number[]; classes: number; logitsFile: string; pixels: number[]; argmaxPixels: number[]; argmax: number[]; gap: number[]; maxAbsLogit: number };
  rgb: Omit<DivaeReference, 'checkpoint'>;
}
const REF = JSON.parse(readFileSync(join(FIXTURES, 'official-tokenizers-448/reference.json'), 'utf8')) as Reference;
const bin = (name: string): Float32Array => new Float32Array(readFileSync(join(FIXTURES, 'official-tokenizers-448', name)).buffer.slice(0));
const checkpointOf = (name: string): CheckpointFixture => JSON.parse(readFileSync(join(FIXTURES, name, 'checkpoint.json'), 'utf8')) as CheckpointFixture;
/** A modality of the SR layout's table (official-fm-sr's config). */
function srModality(name: string): ReturnType<typeof officialModalityTable>[number] {
  const parsed = parseFmConfig(SR_CHECKPOINT.config as never);
  if (!parsed.ok) throw new Error(parsed.error);
  const m = officialModalityTable(parsed.config, 'sr config.json').find((x) => x.name === name);
  if (!m) throw new Error(`no ${name} in the SR layout`);
  return m;
}
const OPEN = { providers: ['cpu' as const], intraOpThreads: 1, imageSize: 448 };

/**
 * The semseg decode's class logits [C, 448, 448] against the official ones: the largest difference at
 * the sampled pixels, how many sampled argmaxes agree, and how many differ where the official top two
 * were at least 1e-3 apart (a real disagreement, not a tie).
 */
function compareSemsegLogits(logits: Float32Array): { maxDiff: number; same: number; tiesFlipped: number } {
  const want = bin(REF.semseg.logitsFile);
  const C = REF.semseg.classes;
  const plane = 448 * 448;
  let maxDiff = 0;
  REF.semseg.pixels.forEach((p, i) => {
    for (let c = 0; c < C; c++) maxDiff = Math.max(maxDiff, Math.abs((logits[c * plane + p] as number) - (want[i * C + c] as number)));
  });
  let same = 0;
  let tiesFlipped = 0;
  REF.semseg.argmaxPixels.forEach((p, i) => {
    let best = 0;
    for (let c = 1; c < C; c++) if ((logits[c * plane + p] as number) > (logits[best * plane + p] as number)) best = c;
    if (best === REF.semseg.argmax[i]) same++;
    else if ((REF.semseg.gap[i] as number) >= 1e-3) tiesFlipped++;
  });
  return { maxDiff, same, tiesFlipped };
}

describe('official tokenizers decode a 28×28 grid (448 px) as the official code does', () => {
  const semsegDir = mkdtempSync(join(tmpdir(), 'official-vq448-'));
  const rgbDir = mkdtempSync(join(tmpdir(), 'official-divae448-'));
  let semseg: OfficialVqvae;
  let rgb: OfficialDivae;
  beforeAll(async () => {
    expect(rebuildCheckpoint(checkpointOf('official-vqvae'), join(FIXTURES, 'official-vqvae'), semsegDir)).toBe(REF.semseg.checkpointSha256);
    expect(rebuildCheckpoint(checkpointOf('official-divae-rgb'), join(FIXTURES, 'official-divae-rgb'), rgbDir)).toBe(REF.rgb.checkpointSha256);
    [semseg, rgb] = await Promise.all([openOfficialVqvae(semsegDir, OPEN), openOfficialDivae(rgbDir, OPEN)]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([semseg?.release(), rgb?.release()]);
    rmSync(semsegDir, { recursive: true, force: true });
    rmSync(rgbDir, { recursive: true, force: true });
  });

  it('open at 448 with a 28×28 grid and fit the SR model\'s tok_*@448 modalities', () => {
    expect(semseg.grid).toEqual([28, 28]);
    expect(rgb.grid).toEqual([28, 28]);
    expect(rgb.imageSize).toBe(448);
    const parsed = parseFmConfig(SR_CHECKPOINT.config as never);
    if (!parsed.ok) throw new Error(parsed.error);
    const table = officialModalityTable(parsed.config, 'sr config.json');
    const m = (name: string) => table.find((x) => x.name === name) as (typeof table)[number];
    expect(() => checkTokenizerFits(m('tok_semseg@448'), semseg)).not.toThrow();
    expect(() => checkTokenizerFits(m('tok_rgb@448'), rgb)).not.toThrow();
    // The 224 grid is refused by a tokenizer opened at 448, naming the file.
    expect(() => checkTokenizerFits(m('tok_semseg@224'), semseg)).toThrow(`${join(semsegDir, 'model.safetensors')}: cannot decode "tok_semseg@224" is a 14×14 grid, the tokenizer's 28×28`);
  });

  it('semseg VQ-VAE: class logits and argmax at 448 × 448 match (float32)', async () => {
    const out = await semseg.decode(REF.semseg.ids);
    expect(out.dims).toEqual([1, REF.semseg.classes, 448, 448]);
    const { maxDiff, same, tiesFlipped } = compareSemsegLogits(out.data as Float32Array);
    const image = await decodeOfficialSemseg(semseg, REF.semseg.ids);
    console.log(`semseg VQ-VAE at 448 vs official: logits ${maxDiff.toExponential(2)} (|logit| ≤ ${REF.semseg.maxAbsLogit.toFixed(2)}), argmax ${same}/${REF.semseg.argmaxPixels.length}`);
    expect(image.rgba.width).toBe(448);
    expect(maxDiff).toBeLessThan(1e-4);
    expect(tiesFlipped).toBe(0);
    expect(same).toBeGreaterThanOrEqual(REF.semseg.argmaxPixels.length - 2);
  }, 120_000);

  it('RGB DiVAE: a 2-step DDIM decode at 448 matches with the same injected noise (float32)', async () => {
    let k = 0;
    const x = await rgb.decode(REF.rgb.ids, { previewSteps: REF.rgb.steps, noise: (out) => out.set(hashedNormal(`${REF.rgb.noisePrefix}/${k++}`, out.length)) });
    expect(x.length).toBe(3 * 448 * 448);
    expect(k).toBe(REF.rgb.noiseDraws);
    const want = bin(REF.rgb.file);
    let maxDiff = 0;
    REF.rgb.indices.forEach((idx, i) => (maxDiff = Math.max(maxDiff, Math.abs((x[idx] as number) - (want[i] as number)))));
    console.log(`RGB DiVAE at 448 (DDIM ${REF.rgb.timesteps.join(', ')}) vs official: ${maxDiff.toExponential(2)}`);
    expect(maxDiff).toBeLessThan(1e-4);
  }, 300_000);

  for (const name of ['depth', 'normal'] as const) {
    it(`${name} DiVAE: a 2-step ${REF[name].scheduler.toUpperCase()} decode at 448 matches with the same injected noise (float32)`, async () => {
      const ref = REF[name];
      const dir = mkdtempSync(join(tmpdir(), `official-divae448-${name}-`));
      let tok: OfficialDivae | undefined;
      try {
        expect(rebuildCheckpoint(checkpointOf(ref.checkpoint), join(FIXTURES, ref.checkpoint), dir)).toBe(ref.checkpointSha256);
        tok = await openOfficialDivae(dir, OPEN);
        const C = ref.shape[1] as number;
        expect(tok.channels).toBe(C);
        expect(tok.grid).toEqual([28, 28]);
        expect(() => checkTokenizerFits(srModality(`tok_${name}@448`), tok as OfficialDivae)).not.toThrow();
        let k = 0;
        const noise = (out: Float32Array): void => out.set(hashedNormal(`${ref.noisePrefix}/${k++}`, out.length));
        // The file's own scheduler (DDPM) with `steps`, the preview DDIM with `previewSteps`.
        const steps = ref.scheduler === 'ddim' ? { previewSteps: ref.steps } : { steps: ref.steps };
        const x = await tok.decode(ref.ids, { ...steps, noise });
        expect(x.length).toBe(C * 448 * 448);
        expect(k).toBe(ref.noiseDraws);
        const want = bin(ref.file);
        let maxDiff = 0;
        ref.indices.forEach((idx, i) => (maxDiff = Math.max(maxDiff, Math.abs((x[idx] as number) - (want[i] as number)))));
        // The display path at 448 (depth: min-max + turbo; normals: (x + 1) / 2).
        const image = divaeImage(name, x, C, 448, 448);
        console.log(`${name} DiVAE (${C} channel${C > 1 ? 's' : ''}) at 448 (${ref.scheduler.toUpperCase()} ${ref.timesteps.join(', ')}) vs official: ${maxDiff.toExponential(2)} (|x| ≤ ${ref.maxAbs.toFixed(3)})`);
        expect(maxDiff).toBeLessThan(1e-4);
        expect([image.rgba.width, image.rgba.height]).toEqual([448, 448]);
      } finally {
        await tok?.release();
        rmSync(dir, { recursive: true, force: true });
      }
    }, 300_000);
  }
});

describe('the same tokenizer files rounded to float16 decode a 28×28 grid close to the official float32 run', () => {
  /** Rebuilds a fixture checkpoint in float16 into a fresh folder, runs `use`, then removes it. */
  async function withHalf<T>(fixture: string, use: (dir: string) => Promise<T>): Promise<T> {
    const dir = mkdtempSync(join(tmpdir(), 'official-448-f16-'));
    try {
      rebuildCheckpoint(checkpointOf(fixture), join(FIXTURES, fixture), dir, 'F16');
      return await use(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('semseg VQ-VAE: class logits within 5 % of the largest, argmax of ≥ 98 % of the sampled pixels', async () => {
    await withHalf('official-vqvae', async (dir) => {
      const tok = await openOfficialVqvae(dir, OPEN);
      try {
        const out = await tok.decode(REF.semseg.ids);
        const { maxDiff, same } = compareSemsegLogits(out.data as Float32Array);
        console.log(`float16 semseg VQ-VAE at 448 vs official float32: logits ${maxDiff.toExponential(2)}, argmax ${same}/${REF.semseg.argmaxPixels.length}`);
        expect(maxDiff).toBeLessThan(0.05 * REF.semseg.maxAbsLogit);
        expect(same).toBeGreaterThanOrEqual(0.98 * REF.semseg.argmaxPixels.length);
      } finally {
        await tok.release();
      }
    });
  }, 180_000);

  for (const name of ['rgb', 'depth', 'normal'] as const) {
    it(`${name} DiVAE: the 2-step decode at 448 stays within 0.05`, async () => {
      const ref: Omit<DivaeReference, 'checkpoint'> = REF[name];
      const fixture = name === 'rgb' ? 'official-divae-rgb' : REF[name].checkpoint;
      await withHalf(fixture, async (dir) => {
        const tok = await openOfficialDivae(dir, OPEN);
        try {
          let k = 0;
          const noise = (out: Float32Array): void => out.set(hashedNormal(`${ref.noisePrefix}/${k++}`, out.length));
          const steps = ref.scheduler === 'ddim' ? { previewSteps: ref.steps } : { steps: ref.steps };
          const x = await tok.decode(ref.ids, { ...steps, noise });
          const want = bin(ref.file);
          let maxDiff = 0;
          ref.indices.forEach((idx, i) => (maxDiff = Math.max(maxDiff, Math.abs((x[idx] as number) - (want[i] as number)))));
          console.log(`float16 ${name} DiVAE at 448 (${ref.scheduler.toUpperCase()} ${ref.timesteps.join(', ')}) vs official float32: ${maxDiff.toExponential(2)}`);
          expect(k).toBe(ref.noiseDraws);
          expect(maxDiff).toBeLessThan(0.05);
        } finally {
          await tok.release();
        }
      });
    }, 300_000);
  }
});
