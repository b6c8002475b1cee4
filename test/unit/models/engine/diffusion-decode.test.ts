import { createHash } from 'node:crypto';
import { cp, copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTokens, generate, loadEngineModel, type EngineModel } from '../../../../models/engine/generate';
import { runDiffusionDecoder } from '../../../../models/engine/generate/diffusion-decode';
import { float32, GraphSession } from '../../../../models/engine/runtime';
import type { DiffusionDecoderSpec } from '../../../../models/registry';
import type { NormalNoise } from '../../../../models/tokenizers/diffusion';
import { request, target, tokenGrid } from './model-fixture';

/** Made by `python -m fourm_recipe.export.diffusion_fixture`: an untrained tiny denoiser and its NumPy loop. */
const FIXTURE = join(__dirname, '../../../fixtures/diffusion');
const MODEL_DIR = join(__dirname, '../../../../models/zoo/world-4m-small');

interface Reference {
  shape: [number, number, number, number];
  quantShape: [number, number, number, number];
  quant: number[];
  schedule: DiffusionDecoderSpec['schedule'];
  alphasCumprod: Record<string, number>;
  clipSample: number;
  cases: { scheduler: 'ddpm' | 'ddim'; steps: number; timesteps: number[]; noise: number[][]; expected: number[] }[];
}

const spec = (ref: Reference, c: Reference['cases'][number]): DiffusionDecoderSpec => ({
  denoiser: 'tiny_denoiser.onnx',
  channels: ref.shape[1],
  scheduler: c.scheduler,
  steps: c.steps,
  prediction: 'sample',
  clipSample: ref.clipSample,
  schedule: ref.schedule,
});

let ref: Reference;
let denoiser: GraphSession;
beforeAll(async () => {
  ref = JSON.parse(await readFile(join(FIXTURE, 'reference.json'), 'utf8')) as Reference;
  denoiser = await GraphSession.open(join(FIXTURE, 'tiny_denoiser.onnx'));
});
afterAll(async () => denoiser.release());

describe('diffusion tokenizer decoder on a real one-step graph', () => {
  it('the TypeScript loop matches the recipe NumPy loop with the same noise (DDPM 10 steps, DDIM 5)', async () => {
    for (const c of ref.cases) {
      const draws = [...c.noise];
      const noise: NormalNoise = (out) => {
        const next = draws.shift();
        if (!next || next.length !== out.length) throw new Error('noise draws do not line up with the reference');
        out.set(next);
      };
      const seen: number[] = [];
      const timed: GraphSession = Object.create(denoiser) as GraphSession;
      const x = await runDiffusionDecoder(
        { ...timed, run: (feeds) => (seen.push((feeds.t?.data as Float32Array)[0] as number), denoiser.run(feeds)) } as GraphSession,
        spec(ref, c),
        float32(Float32Array.from(ref.quant), ref.quantShape),
        [ref.shape[2], ref.shape[3]],
        { noise },
      );
      expect(seen, c.scheduler).toEqual(c.timesteps);
      expect(draws, 'every reference draw used').toHaveLength(0);
      let max = 0;
      x.forEach((v, i) => (max = Math.max(max, Math.abs(v - (c.expected[i] as number)))));
      expect(max, `${c.scheduler} max abs diff`).toBeLessThan(1e-4);
    }
  }, 30_000);
});

describe('a package whose RGB tokenizer decodes by diffusion', () => {
  let dir: string;
  let model: EngineModel;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), '4m-diffusion-'));
    await cp(MODEL_DIR, dir, { recursive: true });
    await copyFile(join(FIXTURE, 'tiny_denoiser.onnx'), join(dir, 'tokenizers/tiny_denoiser.onnx'));
    await copyFile(join(FIXTURE, 'tiny_dequantize.onnx'), join(dir, 'tokenizers/tiny_dequantize.onnx'));
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as {
      modalities: { name: string; tokenizer?: Record<string, unknown> }[];
      files: Record<string, unknown>;
    };
    const rgb = manifest.modalities.find((m) => m.name === 'tok_rgb@128');
    if (!rgb?.tokenizer) throw new Error('fixture package has no RGB tokenizer');
    rgb.tokenizer.decoder = 'tokenizers/tiny_dequantize.onnx';
    rgb.tokenizer.diffusion = {
      denoiser: 'tokenizers/tiny_denoiser.onnx',
      channels: 3,
      scheduler: 'ddpm',
      steps: 6,
      previewSteps: 2,
      prediction: 'sample',
      clipSample: 1,
      schedule: ref.schedule,
    };
    for (const file of ['tokenizers/tiny_denoiser.onnx', 'tokenizers/tiny_dequantize.onnx']) {
      const bytes = await readFile(join(dir, file));
      manifest.files[file] = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
    }
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
    model = await loadEngineModel(dir);
  }, 60_000);
  afterAll(async () => {
    await model.release();
    await rm(dir, { recursive: true, force: true });
  });

  it('decodes tokens to a full-size picture, the same tokens always to the same pixels; previews take fewer steps', async () => {
    const spec = model.imageModality('tok_rgb@128');
    const denoiserSession = await model.graph('tokenizers/tiny_denoiser.onnx');
    const calls = () => denoiserSession.timing.calls;
    const before = calls();
    const a = await decodeTokens(model, spec, tokenGrid(6000, 1));
    expect(calls() - before).toBe(6);
    const b = await decodeTokens(model, spec, tokenGrid(6000, 1));
    const other = await decodeTokens(model, spec, tokenGrid(6000, 2));
    expect([a.rgba.width, a.rgba.height]).toEqual([128, 128]);
    expect(Buffer.from(a.rgba.data).equals(Buffer.from(b.rgba.data))).toBe(true);
    expect(Buffer.from(a.rgba.data).equals(Buffer.from(other.rgba.data))).toBe(false);
    const mid = calls();
    await decodeTokens(model, spec, tokenGrid(6000, 1), { preview: true });
    expect(calls() - mid).toBe(2);
  }, 60_000);

  it('runs through generate: semseg → RGB with previews, the output decoded by the diffusion loop', async () => {
    const previews: number[] = [];
    const res = await generate(model, request({ 'tok_semseg@128': { kind: 'image-tokens', tokens: tokenGrid(1000) } }, [target('tok_rgb@128', 'roar', 2)]), {
      previewIntervalMs: 0,
      onPreview: (p) => previews.push(p.progress.done),
    });
    const out = res.outputs['tok_rgb@128'];
    expect(out?.kind === 'image' && out.image.rgba.width).toBe(128);
    expect(previews.at(-1)).toBe(2);
  }, 60_000);
});
