/**
 * Parity with the official 4M tokenizer code. test/fixtures/official-vqvae holds what the official
 * VQVAE (github.com/apple/ml-4m, run by models/recipe/fourm_recipe/official/vq_fixture.py) computed
 * on a checkpoint in the layout of 4M-21's semantic-segmentation tokenizer (cls_emb 134 → 64, ViT
 * encoder and decoder with the tanh post-MLP, cosine codebook of 4,096 × 32, 448 px training grid),
 * shrunk to width 128, depth 2: the tokens of a committed 224 × 224 class map and the decoded class
 * logits of committed token ids. The checkpoint is rebuilt here byte for byte (SHA-256), opened with
 * openOfficialVqvae (graphs written beside it) and run on ONNX Runtime.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialModalityTable } from '../../../../../models/engine/fm/official-modalities';
import { checkTokenizerFits, decodeOfficialSemseg, openOfficialVqvae, type OfficialVqvae } from '../../../../../models/engine/vq/official-vqvae';
import { parseFmConfig } from '../../../../../models/registry/checkpoint-config';
import { CHECKPOINT as FM_CHECKPOINT, fnv1a32, hashInt16, rebuildCheckpoint, type CheckpointFixture } from '../fm/official-fixture';

const FIXTURE_DIR = join(__dirname, '../../../../fixtures/official-vqvae');
const CHECKPOINT = JSON.parse(readFileSync(join(FIXTURE_DIR, 'checkpoint.json'), 'utf8')) as CheckpointFixture;

interface Reference {
  checkpointSha256: string;
  input: { file: string; height: number; width: number };
  tokens: number[];
  tokenGap: number[];
  decode: {
    ids: number[];
    classes: number;
    height: number;
    width: number;
    argmaxFile: string;
    logitsFile: string;
    pixels: number[];
    maxAbsLogit: number;
    nearTies: number[];
  };
}

const REF = JSON.parse(readFileSync(join(FIXTURE_DIR, 'reference.json'), 'utf8')) as Reference;
const INPUT = new Uint8Array(readFileSync(join(FIXTURE_DIR, REF.input.file)));
const ARGMAX = new Uint8Array(readFileSync(join(FIXTURE_DIR, REF.decode.argmaxFile)));
const LOGITS = new Float32Array(readFileSync(join(FIXTURE_DIR, REF.decode.logitsFile)).buffer.slice(0));

interface Run {
  tokensSame: number;
  /** Official tokens whose top-1 / top-2 cosine gap is below 1e-4 and that came out different. */
  tokensDiffNearTie: number;
  logitDiff: number;
  argmaxSame: number;
  /** Pixels whose argmax differs although the official top-1 / top-2 gap is at least 1e-3. */
  argmaxDiffClear: number;
}

async function runAll(tok: OfficialVqvae): Promise<Run> {
  const tokens = await tok.tokenize(INPUT);
  let tokensSame = 0;
  let tokensDiffNearTie = 0;
  tokens.forEach((t, i) => {
    if (t === REF.tokens[i]) tokensSame++;
    else if ((REF.tokenGap[i] as number) < 1e-4) tokensDiffNearTie++;
  });
  const { data, dims } = await tok.decode(REF.decode.ids);
  const { classes: C, height: H, width: W } = REF.decode;
  expect(dims).toEqual([1, C, H, W]);
  const n = H * W;
  let logitDiff = 0;
  REF.decode.pixels.forEach((p, j) => {
    for (let c = 0; c < C; c++) logitDiff = Math.max(logitDiff, Math.abs((data[c * n + p] as number) - (LOGITS[j * C + c] as number)));
  });
  const near = new Set(REF.decode.nearTies);
  let argmaxSame = 0;
  let argmaxDiffClear = 0;
  for (let p = 0; p < n; p++) {
    let best = 0;
    for (let c = 1; c < C; c++) if ((data[c * n + p] as number) > (data[best * n + p] as number)) best = c;
    if (best === ARGMAX[p]) argmaxSame++;
    else if (!near.has(p)) argmaxDiffClear++;
  }
  return { tokensSame, tokensDiffNearTie, logitDiff, argmaxSame, argmaxDiffClear };
}

const report = (label: string, r: Run): void => {
  const pixels = REF.decode.height * REF.decode.width;
  console.log(`${label} vs official VQVAE: tokens ${r.tokensSame}/${REF.tokens.length} identical; decoded logits max |diff| ${r.logitDiff.toExponential(2)} over ${REF.decode.pixels.length}×${REF.decode.classes} values (|logit| ≤ ${REF.decode.maxAbsLogit.toFixed(2)}); argmax ${r.argmaxSame}/${pixels} pixels`);
};

describe('an official-format VQ-VAE semseg tokenizer against the official code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'official-vq-'));
  let tok: OfficialVqvae;
  let sha = '';
  beforeAll(async () => {
    sha = rebuildCheckpoint(CHECKPOINT, FIXTURE_DIR, dir);
    tok = await openOfficialVqvae(dir, { providers: ['cpu'], intraOpThreads: 1 });
  }, 120_000);
  afterAll(async () => {
    await tok?.release();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rebuilds the very file the official code saved and reads its layout', () => {
    expect(sha).toBe(CHECKPOINT.sha256);
    expect(REF.checkpointSha256).toBe(CHECKPOINT.sha256);
    expect(tok.grid).toEqual([14, 14]);
    expect(tok.codebookSize).toBe(4096);
    expect(tok.layout).toMatchObject({ labels: 134, inChannels: 64, outChannels: 134, latentDim: 32, patch: 16, decoderPatch: 16, patchProj: true });
    expect(tok.layout.encoder).toMatchObject({ dim: 128, depth: 2, heads: 2, hidden: 512, posGrid: [28, 28], postMlp: true });
    expect(tok.layout.decoder).toMatchObject({ dim: 128, depth: 2, heads: 2, hidden: 512, posGrid: [28, 28], postMlp: true });
  });

  it('float32: identical tokens, decoded logits within 1e-4, identical class map', async () => {
    const r = await runAll(tok);
    report('float32', r);
    expect(r.tokensSame).toBe(REF.tokens.length);
    expect(r.logitDiff).toBeLessThan(1e-4);
    expect(r.argmaxDiffClear).toBe(0);
  }, 120_000);

  it('float16 storage: the same file rounded to half precision stays close', async () => {
    const half = mkdtempSync(join(tmpdir(), 'official-vq16-'));
    let tok16: OfficialVqvae | undefined;
    try {
      rebuildCheckpoint(CHECKPOINT, FIXTURE_DIR, half, 'F16');
      tok16 = await openOfficialVqvae(half, { providers: ['cpu'], intraOpThreads: 1 });
      const r = await runAll(tok16);
      report('float16 weights', r);
      // Half-precision weights move the cosine similarities by ~1e-3: near-tied tokens may flip.
      expect(r.tokensSame).toBeGreaterThanOrEqual(REF.tokens.length * 0.9);
      expect(r.logitDiff).toBeLessThan(0.05 * Math.max(1, REF.decode.maxAbsLogit));
      expect(r.argmaxSame).toBeGreaterThanOrEqual(0.98 * REF.decode.height * REF.decode.width);
    } finally {
      await tok16?.release();
      rmSync(half, { recursive: true, force: true });
    }
  }, 180_000);

  it('decodes the official FM tok_semseg@224 vocabulary into a class map', async () => {
    const parsed = parseFmConfig(FM_CHECKPOINT.config);
    if (!parsed.ok) throw new Error(parsed.error);
    const table = officialModalityTable(parsed.config, 'fm config.json');
    const semseg = table.find((m) => m.name === 'tok_semseg@224');
    if (!semseg) throw new Error('no tok_semseg@224 in the FM fixture');
    expect(() => checkTokenizerFits(semseg, tok)).not.toThrow();
    const rgb = table.find((m) => m.name === 'tok_rgb@224');
    if (!rgb) throw new Error('no tok_rgb@224 in the FM fixture');
    expect(() => checkTokenizerFits(rgb, tok)).toThrow(/"tok_rgb@224" has a vocabulary of 16384, the tokenizer 4096 codes/);
    const decoded = await decodeOfficialSemseg(tok, REF.decode.ids);
    expect(decoded.classMap).toHaveLength(224 * 224);
    expect(decoded.rgba.width).toBe(224);
    let same = 0;
    decoded.classMap?.forEach((c, p) => (same += c === ARGMAX[p] ? 1 : 0));
    expect(same).toBeGreaterThanOrEqual(224 * 224 - REF.decode.nearTies.length);
    await expect(tok.decode([1, 2, 3])).rejects.toThrow(/3 tokens, expected 14×14/);
    await expect(tok.decode(new Array(196).fill(4096))).rejects.toThrow(/token 0 = 4096 is outside 0…4095/);
  }, 60_000);

  it('refuses a config or file it cannot run, naming the file and the field or tensor', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'official-vq-bad-'));
    try {
      copyFileSync(join(dir, 'model.safetensors'), join(bad, 'model.safetensors'));
      const cfg = join(bad, 'config.json');
      const write = (patch: Record<string, unknown>): void => writeFileSync(cfg, JSON.stringify({ ...CHECKPOINT.config, ...patch }));
      write({ quant_type: 'memcodes' });
      await expect(openOfficialVqvae(bad)).rejects.toThrow(`${cfg}: quant_type: "memcodes"`);
      write({ out_conv: true });
      await expect(openOfficialVqvae(bad)).rejects.toThrow(/model\.safetensors: tensor "decoder\.out_conv\.0\.dwconv\.weight" is missing/);
      write({ dec_type: 'unet_patched', beta_schedule: 'linear' });
      await expect(openOfficialVqvae(bad)).rejects.toThrow(`${cfg}: dec_type: "unet_patched": a diffusion decoder (DiVAE)`);
      write({ codebook_size: 'big' });
      await expect(openOfficialVqvae(bad)).rejects.toThrow(`${cfg}: codebook_size: "big" is not a positive integer`);
      write({ enc_type: 'vit_b_enc' });
      await expect(openOfficialVqvae(bad)).rejects.toThrow(/model\.safetensors: .* says enc_type "vit_b_enc" \(width 768, depth 12\), but the encoder tensors have width 128, depth 2/);
      write({ codebook_size: 8192 });
      await expect(openOfficialVqvae(bad)).rejects.toThrow(/model\.safetensors: "quantize\._codebook\.embed" has shape \[4096, 32\], expected \[8192, 32\]/);
      write({ image_size: 224 });
      await expect(openOfficialVqvae(bad)).rejects.toThrow(/model\.safetensors: "encoder\.pos_emb" has shape \[1, 128, 28, 28\], expected \[1, 128, 14, 14\]/);
      write({ post_mlp: false });
      await expect(openOfficialVqvae(bad)).rejects.toThrow(/model\.safetensors: 12 tensor\(s\) with no place in the layout .*config\.json describes: decoder\.norm_mlp\.bias/);
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  }, 60_000);
});

/** The feature-map member of the family (CLIP-B16 layout): 512 × 14 × 14 in, no patch projection. */
describe('an official-format VQ-VAE feature-map tokenizer (CLIP-B16 layout) against the official code', () => {
  const CLIP_DIR = join(__dirname, '../../../../fixtures/official-vqvae-clip');
  const CLIP = JSON.parse(readFileSync(join(CLIP_DIR, 'checkpoint.json'), 'utf8')) as CheckpointFixture;
  const CREF = JSON.parse(readFileSync(join(CLIP_DIR, 'reference.json'), 'utf8')) as {
    checkpointSha256: string;
    input: { seed: string; base: number; scale: number; shape: number[] };
    tokens: number[];
    decode: { ids: number[]; channels: number; height: number; width: number; featuresFile: string; cells: number[]; maxAbs: number };
  };
  const FEATURES = new Float32Array(readFileSync(join(CLIP_DIR, CREF.decode.featuresFile)).buffer.slice(0));
  // The fixture maker's hashed input map (fill_value("input", 0, 1, shape)), rebuilt here.
  const n = CREF.input.shape.reduce((a, b) => a * b, 1);
  const h = hashInt16(fnv1a32(CREF.input.seed), n);
  const INPUT_MAP = Float32Array.from(h, (v) => CREF.input.base + (v * CREF.input.scale) / 32768);

  async function run(dtype: 'F32' | 'F16'): Promise<{ sha: string; tokensSame: number; diff: number }> {
    const dir = mkdtempSync(join(tmpdir(), 'official-vq-clip-'));
    let tok: OfficialVqvae | undefined;
    try {
      const sha = rebuildCheckpoint(CLIP, CLIP_DIR, dir, dtype);
      tok = await openOfficialVqvae(dir, { providers: ['cpu'], intraOpThreads: 1 });
      expect(tok.grid).toEqual([14, 14]);
      expect(tok.layout).toMatchObject({ labels: undefined, patchProj: false, inChannels: 512, outChannels: 512, codebookSize: 8192 });
      const tokens = await tok.tokenize(INPUT_MAP);
      const tokensSame = tokens.reduce((a, t, i) => a + (t === CREF.tokens[i] ? 1 : 0), 0);
      const { data, dims } = await tok.decode(CREF.decode.ids);
      const { channels: C, height: H, width: W } = CREF.decode;
      expect(dims).toEqual([1, C, H, W]);
      let diff = 0;
      CREF.decode.cells.forEach((cell, j) => {
        for (let c = 0; c < C; c++) diff = Math.max(diff, Math.abs((data[c * H * W + cell] as number) - (FEATURES[j * C + c] as number)));
      });
      console.log(`${dtype} CLIP-layout vs official VQVAE: tokens ${tokensSame}/${CREF.tokens.length} identical; decoded features max |diff| ${diff.toExponential(2)} over ${CREF.decode.cells.length}×${C} values (|value| ≤ ${CREF.decode.maxAbs.toFixed(2)})`);
      return { sha, tokensSame, diff };
    } finally {
      await tok?.release();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('float32: the same file, identical tokens, decoded features within 1e-4', async () => {
    const r = await run('F32');
    expect(r.sha).toBe(CLIP.sha256);
    expect(CREF.checkpointSha256).toBe(CLIP.sha256);
    expect(r.tokensSame).toBe(CREF.tokens.length);
    expect(r.diff).toBeLessThan(1e-4);
  }, 120_000);

  it('float16 storage stays close', async () => {
    const r = await run('F16');
    expect(r.tokensSame).toBeGreaterThanOrEqual(CREF.tokens.length * 0.9);
    expect(r.diff).toBeLessThan(0.05 * Math.max(1, CREF.decode.maxAbs));
  }, 120_000);
});
