/**
 * The super-resolution step (engine/generate/official-upscale.ts) on an official SR model folder
 * built from committed fixtures: the 4M-7-SR-layout FM of test/fixtures/official-fm-sr in fm/, the
 * semseg VQ-VAE and the RGB DiVAE fixtures in tokenizers/semseg|rgb/ (opened at 448 px there).
 * Random weights, real ONNX graphs through the real engine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOfficialModel, type OfficialModel } from '../../../../../models/engine/generate/official-model';
import { SR_SAMPLING, upscaleOfficial, upscaleRequest, upscaleTargets, type UpscaleSource } from '../../../../../models/engine/generate/official-upscale';
import { decodeOfficialSemseg } from '../../../../../models/engine/vq/official-vqvae';
import { fullImageInput, fullSequenceInput, type ModalityState, type StepEvent } from '../../../../../models/sampling';
import { writeOfficialSrFolder } from '../fm/official-fixture';

/** A 224 result as generateOfficial leaves it: a generated caption merged to `w… [EOS]`, image tokens fully visible. */
function source(captionIds: number[] = [5000, 6000, 7000]): UpscaleSource {
  const grid = (seed: number, vocab: number): Int32Array => Int32Array.from({ length: 196 }, (_, i) => (i * 7919 + seed * 104_729) % vocab);
  const vocab = { pad: 0, eos: 3, sentinels: Array.from({ length: 200 }, (_, k) => 4 + k) };
  const states: Record<string, ModalityState> = {
    caption: fullSequenceInput(Int32Array.from([...captionIds, 3]), vocab),
    'tok_semseg@224': fullImageInput(grid(1, 4096)),
    'tok_rgb@224': fullImageInput(grid(2, 16_384)),
    // A modality the SR model does not read is left out, as the demo does.
    'tok_dinov2@224': fullImageInput(new Int32Array(256)),
  };
  return { seed: 41, states, pixels: { 'rgb@224': 'sha256:picture' } };
}

const OPEN = { providers: ['cpu' as const], intraOpThreads: 1 };

describe('upscaling a 224 result ×2 with an official super-resolution model', () => {
  const root = mkdtempSync(join(tmpdir(), 'official-sr-'));
  const dir = join(root, '4M-7-SR-fixture');
  let sr: OfficialModel;
  beforeAll(async () => {
    writeOfficialSrFolder(dir);
    sr = await loadOfficialModel(dir, OPEN);
  }, 300_000);
  afterAll(async () => {
    await sr?.release();
    rmSync(root, { recursive: true, force: true });
  });

  it('opens tokenizers/semseg and tokenizers/rgb as the 448 outputs, on a 28×28 grid', () => {
    expect([...sr.tokenizers.keys()].sort()).toEqual(['tok_rgb@448', 'tok_semseg@448']);
    for (const tok of sr.tokenizers.values()) expect(tok.grid).toEqual([28, 28]);
  });

  it('builds the demo\'s SR request: conditions the SR model reads, DEFAULTS_SR targets in its order, seed + 1', () => {
    const { request, targets } = upscaleRequest(sr, source(), ['tok_rgb@224', 'tok_semseg@224']);
    expect(request.seed).toBe(42);
    expect(request.cfgGrowConditioning).toBe(true);
    expect(request.targets.map((t) => t.modality)).toEqual(['tok_semseg@448', 'tok_rgb@448']);
    for (const t of request.targets) expect(t).toMatchObject({ ...SR_SAMPLING, scheme: 'maskgit', steps: 8, tokenSchedule: 'cosine', temperature: 1, cfgScale: 2 });
    expect(Object.keys(request.inputs).sort()).toEqual(['caption', 'rgb@224', 'tok_rgb@224', 'tok_semseg@224']);
    expect(request.inputs.caption).toEqual({ kind: 'sequence-tokens', tokens: [5000, 6000, 7000] });
    expect(request.inputs['rgb@224']).toEqual({ kind: 'image-pixels', ref: 'sha256:picture' });
    expect([...targets]).toEqual([['tok_rgb@224', 'tok_rgb@448'], ['tok_semseg@224', 'tok_semseg@448']]);
    // An empty generated caption becomes custom_text('[S_1]'), as the demo does.
    const empty = upscaleRequest(sr, source([]), ['tok_semseg@224']).request;
    expect(empty.inputs.caption).toEqual({ kind: 'sequence-tokens', tokens: [5, 5, ...new Array<number>(48).fill(0)] });
  });

  it('upscales tok_semseg@224 and tok_rgb@224 to 448×448 pictures decoded from 784 tokens each', async () => {
    const events: StepEvent[] = [];
    const pixels = { width: 224, height: 224, data: new Uint8Array(224 * 224 * 4).fill(128) };
    const res = await upscaleOfficial(sr, source(), ['tok_semseg@224', 'tok_rgb@224'], {
      resolvePixels: async (ref) => {
        expect(ref).toBe('sha256:picture');
        return pixels;
      },
      onStep: (e) => events.push(e),
      decode: { steps: 1 },
    });
    expect(res.seed).toBe(42);
    const semseg = res.outputs['tok_semseg@224'];
    const rgb = res.outputs['tok_rgb@224'];
    expect(semseg?.modality).toBe('tok_semseg@448');
    expect(rgb?.modality).toBe('tok_rgb@448');
    expect(semseg?.tokens).toHaveLength(784);
    expect(rgb?.tokens).toHaveLength(784);
    expect(semseg?.tokens.every((t) => t >= 0 && t < 4096)).toBe(true);
    expect(rgb?.tokens.every((t) => t >= 0 && t < 16_384)).toBe(true);
    expect([semseg?.image?.rgba.width, semseg?.image?.rgba.height]).toEqual([448, 448]);
    expect([rgb?.image?.rgba.width, rgb?.image?.rgba.height]).toEqual([448, 448]);
    // 8 MaskGIT steps per target, committing the official cosine counts (30, 85, …, 30).
    for (const target of ['tok_semseg@448', 'tok_rgb@448']) expect(events.filter((e) => e.target === target)).toHaveLength(8);
    // The picture is what the SR folder's semseg tokenizer decodes from those tokens.
    const again = await decodeOfficialSemseg(sr.tokenizers.get('tok_semseg@448') as never, semseg?.tokens as Int32Array);
    expect(Buffer.from(again.rgba.data).equals(Buffer.from(semseg?.image?.rgba.data ?? []))).toBe(true);
    console.log(`SR upscale: tok_semseg@448 ${new Set(semseg?.tokens).size} distinct tokens, tok_rgb@448 ${new Set(rgb?.tokens).size}; 448×448 pictures`);
  }, 300_000);

  it('refuses what it cannot upscale, naming the SR folder and the modality', () => {
    expect(() => upscaleTargets(sr, ['tok_dinov2@224'])).toThrow(`${dir}: the SR model cannot upscale tok_dinov2@224: it predicts no tok_dinov2@448 (its outputs: tok_clip@448, tok_depth@448, tok_normal@448, tok_rgb@448, tok_semseg@448)`);
    expect(() => upscaleTargets(sr, ['tok_depth@224'])).toThrow(`${dir}: tok_depth@448 has no tokenizer to decode it at 448 px; put its tokenizer folder (config.json + model.safetensors) at ${join(dir, 'tokenizers', 'depth')}`);
    expect(() => upscaleTargets(sr, ['rgb@224'])).toThrow(`${dir}: the SR model upscales token grids (tok_*@224); "rgb@224" is a picture given as pixels, which gives no tok_rgb@224 to upscale`);
    // RGB in as pixels → depth: the result has no tok_rgb@224 (the reference's note).
    const { states, ...rest } = source();
    const noRgb = { ...rest, states: Object.fromEntries(Object.entries(states).filter(([k]) => k !== 'tok_rgb@224')) };
    expect(() => upscaleRequest(sr, noRgb, ['tok_rgb@224'])).toThrow(`${dir}: the 224 result has no complete tok_rgb@224 to upscale (rgb@224 went in as pixels, which gives no tok_rgb@224`);
  });
});
