/**
 * Parity of whole official DiVAE tokenizer files with the official code: tokens → pixels through the
 * engine's diffusion loop against the official DiVAE.decode_tokens (its quantizer, its patched UNet,
 * its PipelineCond and 4M's own DDPM / DDIM schedulers), with the same injected noise.
 * test/fixtures/official-divae-rgb (and -depth, the 1-channel member) hold what
 * models/recipe/fourm_recipe/official/divae_fixture.py (`--variant rgb|depth`) computed; the
 * checkpoints are rebuilt here byte for byte (SHA-256) and opened with openOfficialDivae.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialModalityTable } from '../../../../../models/engine/fm/official-modalities';
import { divaeDomainOf, divaeImage } from '../../../../../models/engine/vq/official-divae-image';
import { decodeOfficialDivae, divaeSampler, openOfficialDivae, parseDivaeConfig, type OfficialDivae } from '../../../../../models/engine/vq/official-divae';
import { checkTokenizerFits } from '../../../../../models/engine/vq/official-vqvae';
import { parseFmConfig } from '../../../../../models/registry/checkpoint-config';
import { inferenceTimesteps, type NormalNoise } from '../../../../../models/tokenizers/diffusion';
import { CHECKPOINT as FM_CHECKPOINT, fnv1a32, hashedNormal, hashInt16, rebuildCheckpoint, type CheckpointFixture } from '../fm/official-fixture';

interface Case {
  scheduler: 'ddpm' | 'ddim';
  steps: number;
  timesteps: number[];
  noisePrefix: string;
  noiseDraws: number;
  maxAbs: number;
  clampedShare: number;
}
interface Reference {
  checkpointSha256: string;
  input: { seed: string; base: number; scale: number; shape: number[] };
  tokens: number[];
  tokenGap: number[];
  decode: { ids: number[]; shape: number[]; indices: number[]; file: string; cases: Case[] };
}

function fixture(name: string): { dir: string; checkpoint: CheckpointFixture; ref: Reference; decoded: Float32Array } {
  const dir = join(__dirname, '../../../../fixtures', name);
  const ref = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8')) as Reference;
  return {
    dir,
    checkpoint: JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8')) as CheckpointFixture,
    ref,
    decoded: new Float32Array(readFileSync(join(dir, ref.decode.file)).buffer.slice(0)),
  };
}

/** Draw k of the official run's noise stream is hashedNormal(`${prefix}/${k}`). */
function stream(prefix: string): { noise: NormalNoise; draws: () => number } {
  let k = 0;
  return { noise: (out) => out.set(hashedNormal(`${prefix}/${k++}`, out.length)), draws: () => k };
}

const hashedInput = (i: Reference['input']): Float32Array => {
  const n = i.shape.reduce((a, b) => a * b, 1);
  return Float32Array.from(hashInt16(fnv1a32(i.seed), n), (v) => i.base + (v * i.scale) / 32768);
};

const unitByte = (v: number): number => Math.round(255 * Math.min(1, Math.max(0, (v + 1) / 2)));

interface Compared {
  maxDiff: number;
  bytesSame: number;
  timesteps: number[];
  draws: number;
}

async function compare(tok: OfficialDivae, ref: Reference, decoded: Float32Array, j: number): Promise<Compared> {
  const c = ref.decode.cases[j] as Case;
  const s = stream(c.noisePrefix);
  const opts = c.scheduler === tok.config.scheduler ? { steps: c.steps } : { previewSteps: c.steps };
  const x = await tok.decode(ref.decode.ids, { ...opts, noise: s.noise, onStep: () => undefined });
  // The timesteps the loop runs for these settings (the sampler's own list).
  const timesteps = Array.from(inferenceTimesteps(c.scheduler === 'ddpm' ? 'ddpm' : 'ddim-trailing-floor', c.steps, tok.config.numTrainTimesteps));
  let maxDiff = 0;
  let bytesSame = 0;
  const n = ref.decode.indices.length;
  ref.decode.indices.forEach((idx, i) => {
    const want = decoded[j * n + i] as number;
    const got = x[idx] as number;
    maxDiff = Math.max(maxDiff, Math.abs(got - want));
    if (unitByte(got) === unitByte(want)) bytesSame++;
  });
  return { maxDiff, bytesSame, timesteps, draws: s.draws() };
}

const OPEN = { providers: ['cpu' as const], intraOpThreads: 1 };

describe('an official-format RGB DiVAE against the official DiVAE.decode_tokens', () => {
  const { dir: FIX, checkpoint, ref, decoded } = fixture('official-divae-rgb');
  const dir = mkdtempSync(join(tmpdir(), 'official-divae-'));
  let tok: OfficialDivae;
  let sha = '';
  beforeAll(async () => {
    sha = rebuildCheckpoint(checkpoint, FIX, dir);
    tok = await openOfficialDivae(dir, OPEN);
  }, 120_000);
  afterAll(async () => {
    await tok?.release();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rebuilds the very file the official code saved and reads its layout and scheduler', () => {
    expect(sha).toBe(checkpoint.sha256);
    expect(ref.checkpointSha256).toBe(checkpoint.sha256);
    expect(tok.grid).toEqual([14, 14]);
    expect(tok.imageSize).toBe(224);
    expect(tok.channels).toBe(3);
    expect(tok.codebookSize).toBe(16384);
    expect(tok.unet).toEqual({ channels: 3, condChannels: 32, patch: 4, modelChannels: 32, channelMult: [1, 2], numResBlocks: 1, attentionResolutions: [2], heads: 1 });
    expect(tok.encoderLayout.encoder).toMatchObject({ dim: 128, depth: 2, heads: 2, posGrid: [28, 28], postMlp: true });
    expect(divaeSampler(tok.config)).toMatchObject({ scheduler: 'ddpm', steps: 50, prediction: 'sample', clipSample: 1, schedule: { betaSchedule: 'linear', zeroTerminalSnr: true } });
  });

  it('tokenizes a picture as the official encoder does', async () => {
    const tokens = await tok.tokenize(hashedInput(ref.input));
    let same = 0;
    tokens.forEach((t, i) => (same += t === ref.tokens[i] || (ref.tokenGap[i] as number) < 1e-4 ? 1 : 0));
    console.log(`DiVAE rgb tokens vs official: ${tokens.filter((t, i) => t === ref.tokens[i]).length}/${ref.tokens.length} identical`);
    expect(same).toBe(ref.tokens.length);
  }, 60_000);

  it('float32: the 50-step DDPM decode (the demo) and the 10-step DDIM preview match the official pipeline', async () => {
    for (let j = 0; j < ref.decode.cases.length; j++) {
      const c = ref.decode.cases[j] as Case;
      const r = await compare(tok, ref, decoded, j);
      console.log(`float32 DiVAE rgb ${c.scheduler} ${c.steps} steps vs official: max |diff| ${r.maxDiff.toExponential(2)} over ${ref.decode.indices.length} values (|x| ≤ ${c.maxAbs.toFixed(2)}, ${(100 * c.clampedShare).toFixed(0)} % at the clamp); display bytes ${r.bytesSame}/${ref.decode.indices.length} identical`);
      expect(r.timesteps).toEqual(c.timesteps);
      expect(r.draws).toBe(c.noiseDraws);
      expect(r.maxDiff).toBeLessThan(1e-4);
      expect(r.bytesSame).toBeGreaterThanOrEqual(ref.decode.indices.length - 2);
    }
  }, 600_000);

  it('float16 storage: the DDIM preview stays close', async () => {
    const half = mkdtempSync(join(tmpdir(), 'official-divae16-'));
    let tok16: OfficialDivae | undefined;
    try {
      rebuildCheckpoint(checkpoint, FIX, half, 'F16');
      tok16 = await openOfficialDivae(half, OPEN);
      const j = ref.decode.cases.findIndex((c) => c.scheduler === 'ddim');
      const r = await compare(tok16, ref, decoded, j);
      console.log(`float16 DiVAE rgb ddim ${ref.decode.cases[j]?.steps} steps vs official: max |diff| ${r.maxDiff.toExponential(2)}; display bytes ${r.bytesSame}/${ref.decode.indices.length} identical`);
      expect(r.maxDiff).toBeLessThan(0.05);
    } finally {
      await tok16?.release();
      rmSync(half, { recursive: true, force: true });
    }
  }, 600_000);

  it('decodes the official FM tok_rgb@224 tokens to a 224×224 picture; a few DDIM steps for previews', async () => {
    const parsed = parseFmConfig(FM_CHECKPOINT.config);
    if (!parsed.ok) throw new Error(parsed.error);
    const rgb = officialModalityTable(parsed.config, 'fm config.json').find((m) => m.name === 'tok_rgb@224');
    if (!rgb) throw new Error('no tok_rgb@224 in the FM fixture');
    expect(() => checkTokenizerFits(rgb, tok)).not.toThrow();
    expect(divaeDomainOf('tok_rgb@224')).toBe('rgb');
    const steps: number[] = [];
    const img = await decodeOfficialDivae(tok, 'rgb', ref.decode.ids, { previewSteps: 2, onStep: (k) => steps.push(k) });
    expect(steps).toEqual([1, 2]);
    expect([img.rgba.width, img.rgba.height]).toEqual([224, 224]);
    // Same tokens and seed: same picture.
    const again = await decodeOfficialDivae(tok, 'rgb', ref.decode.ids, { previewSteps: 2 });
    expect(Buffer.from(again.rgba.data).equals(Buffer.from(img.rgba.data))).toBe(true);
    await expect(tok.decode([1, 2, 3])).rejects.toThrow(/3 tokens, expected 14×14/);
    await expect(tok.decode(new Array(196).fill(16384))).rejects.toThrow(/token 0 = 16384 is outside 0…16383/);
    await expect(tok.decode(ref.decode.ids, { previewSteps: 0 })).rejects.toThrow(/steps must be an integer/);
  }, 120_000);

  it('refuses a config or file it cannot run, naming the file and the field or tensor', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'official-divae-bad-'));
    try {
      copyFileSync(join(dir, 'model.safetensors'), join(bad, 'model.safetensors'));
      const cfg = join(bad, 'config.json');
      const write = (patch: Record<string, unknown>): void => writeFileSync(cfg, JSON.stringify({ ...checkpoint.config, ...patch }));
      write({ dec_type: 'uvit_b_p4_f16' });
      await expect(openOfficialDivae(bad)).rejects.toThrow(`${cfg}: dec_type: "uvit_b_p4_f16": the UViT diffusion decoders are not implemented`);
      write({ scheduler: 'pndm' });
      await expect(openOfficialDivae(bad)).rejects.toThrow(`${cfg}: scheduler: "pndm"`);
      write({ beta_schedule: 'shifted_cosine:0.5' });
      await expect(openOfficialDivae(bad)).rejects.toThrow(`${cfg}: beta_schedule: "shifted_cosine:0.5"`);
      write({ prediction_type: 'noise' });
      await expect(openOfficialDivae(bad)).rejects.toThrow(`${cfg}: prediction_type: "noise"`);
      write({ dec_type: 'unet_patched' });
      await expect(openOfficialDivae(bad)).rejects.toThrow(/model\.safetensors: .*config\.json says dec_type "unet_patched" .* but the decoder tensors are \{"patch":4,"modelChannels":32/);
      write({ n_channels: 1 });
      await expect(openOfficialDivae(bad)).rejects.toThrow(/model\.safetensors: the decoder's output convolution has 48 channels, not n_channels 1 × a square patch/);
      write({ latent_dim: 16 });
      await expect(openOfficialDivae(bad)).rejects.toThrow(/the UNet takes a 32-channel condition, .*config\.json says latent_dim 16/);
      write({ post_mlp: false });
      await expect(openOfficialDivae(bad)).rejects.toThrow(/model\.safetensors: 6 tensor\(s\) with no place in the layout .*config\.json describes: encoder\.norm_mlp\.bias/);
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
    expect(() => parseDivaeConfig({ dec_type: 'vit_b_dec', beta_schedule: 'linear' }, 'x/config.json')).toThrow('x/config.json: dec_type: "vit_b_dec"; only the patched-UNet');
  }, 120_000);
});

describe('an official-format 1-channel DiVAE (the depth / edge layout) against the official code', () => {
  const { dir: FIX, checkpoint, ref, decoded } = fixture('official-divae-depth');
  const dir = mkdtempSync(join(tmpdir(), 'official-divae-depth-'));
  let tok: OfficialDivae;
  beforeAll(async () => {
    expect(rebuildCheckpoint(checkpoint, FIX, dir)).toBe(checkpoint.sha256);
    tok = await openOfficialDivae(dir, OPEN);
  }, 120_000);
  afterAll(async () => {
    await tok?.release();
    rmSync(dir, { recursive: true, force: true });
  });

  it('float32: the DDPM decode matches; the picture is a turbo depth map, edges grey', async () => {
    expect(tok.channels).toBe(1);
    const r = await compare(tok, ref, decoded, 0);
    const c = ref.decode.cases[0] as Case;
    console.log(`float32 DiVAE depth ${c.scheduler} ${c.steps} steps vs official: max |diff| ${r.maxDiff.toExponential(2)} over ${ref.decode.indices.length} values`);
    expect(r.timesteps).toEqual(c.timesteps);
    expect(r.draws).toBe(c.noiseDraws);
    expect(r.maxDiff).toBeLessThan(1e-4);
    const values = Float32Array.from({ length: 224 * 224 }, (_, i) => (i % 224) / 112 - 1);
    const depth = divaeImage('depth', values, 1, 224, 224);
    expect(Array.from(depth.rgba.data.subarray(0, 4))).not.toEqual(Array.from(depth.rgba.data.subarray(223 * 4, 224 * 4)));
    const edge = divaeImage('edge', values, 1, 224, 224);
    expect(Array.from(edge.rgba.data.subarray(0, 4))).toEqual([0, 0, 0, 255]);
    expect(divaeDomainOf('tok_canny_edge@224')).toBe('edge');
    expect(() => divaeImage('rgb', values, 1, 224, 224)).toThrow(/decodes 1 channel\(s\); rgb needs 3/);
  }, 600_000);
});
