/**
 * 448 px pictures → 28×28 tokens through the official tokenizers' encoders, the path masked
 * regeneration takes on the super-resolution model's 448 canvas ("Continue at 448": the picture of
 * the layer is encoded to keep the tokens outside the region). test/fixtures/official-tokenizers-448-encode
 * holds what models/recipe/fourm_recipe/official/tokenizers_448_encode.py drew (RGB, depth grey,
 * RGB-encoded normals, a class map) and what the official `tokenize` at 448 made of them with 4M's
 * own transforms: tokens, the top-1/top-2 gap of each, sampled normalised inputs and sampled
 * pre-quantization values. Here the same PNGs go the engine's way (divaeInputFromPicture for the
 * DiVAEs; palette colours → classMapFromRgba for semseg, as the editor sends a segmentation) through
 * the fixture checkpoints opened at 448, in float32 and rounded to float16.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { buildVqEncoderGraph, type VqEncoderShape } from '../../../../../models/engine/convert/vq-graphs';
import { openCheckpoint } from '../../../../../models/engine/fm/checkpoint';
import { expectFloat32, expectInt64, float32, GraphSession, int64, type TensorData } from '../../../../../models/engine/runtime';
import { openOfficialDivae, type OfficialDivae } from '../../../../../models/engine/vq/official-divae';
import { divaeInputFromPicture, type DivaeDomain } from '../../../../../models/engine/vq/official-divae-image';
import { officialSemsegPalette, openOfficialVqvae, type OfficialVqvae } from '../../../../../models/engine/vq/official-vqvae';
import { classMapFromRgba, type RgbaImage } from '../../../../../models/tokenizers/image';
import { rebuildCheckpoint, type CheckpointFixture } from '../fm/official-fixture';

type CaseName = 'rgb' | 'depth' | 'normal' | 'semseg';
interface Case {
  file: string;
  checkpoint: string;
  checkpointSha256: string;
  shape: number[];
  tokens: number[];
  tokenGap: number[];
  distinctTokens: number;
  latentDim: number;
  maxAbsLatent: number;
  inputIndices?: number[];
  inputOffset?: number;
  latentIndices: number[];
  latentOffset: number;
}
const FIXTURES = join(__dirname, '../../../../fixtures');
const DIR = join(FIXTURES, 'official-tokenizers-448-encode');
const REF = JSON.parse(readFileSync(join(DIR, 'reference.json'), 'utf8')) as { size: number; grid: number; values: string; cases: Record<CaseName, Case> };
const VALUES = new Float32Array(readFileSync(join(DIR, REF.values)).buffer.slice(0));
const OPEN = { providers: ['cpu' as const], intraOpThreads: 1, imageSize: 448 };

async function png(file: string): Promise<RgbaImage> {
  const { data, info } = await sharp(join(DIR, file)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

interface Encoded {
  inputDiff: number;
  latentDiff: number;
  same: number;
  /** Differing tokens whose official top-1/top-2 cosine gap is below 1e-4 (near ties). */
  tied: number;
  /** The product's tokenize and the latent graph give the same ids. */
  graphsAgree: boolean;
}

/** Opens the case's tokenizer (rebuilt in `dtype`) at 448 and encodes its picture the engine's way. */
async function encode(name: CaseName, dtype: 'F32' | 'F16'): Promise<Encoded> {
  const c = REF.cases[name];
  const dir = mkdtempSync(join(tmpdir(), `official-enc448-${name}-`));
  let tok: OfficialDivae | OfficialVqvae | undefined;
  let latentGraph: GraphSession | undefined;
  try {
    const fixtureDir = join(FIXTURES, c.checkpoint);
    const sha = rebuildCheckpoint(JSON.parse(readFileSync(join(fixtureDir, 'checkpoint.json'), 'utf8')) as CheckpointFixture, fixtureDir, dir, dtype);
    if (dtype === 'F32') expect(sha).toBe(c.checkpointSha256);
    const picture = await png(c.file);
    let input: Float32Array | Int32Array;
    let layout: VqEncoderShape;
    let inputDiff = 0;
    if (name === 'semseg') {
      const vq = await openOfficialVqvae(dir, OPEN);
      tok = vq;
      layout = vq.layout;
      // The editor's segmentation layer: class ids drawn in the official palette's colours.
      const palette = officialSemsegPalette(vq.layout.labels as number);
      const painted = new Uint8Array(picture.width * picture.height * 4);
      for (let p = 0; p < picture.width * picture.height; p++) painted.set([...(palette[picture.data[p * 4] as number]?.color ?? [0, 0, 0]), 255], p * 4);
      input = classMapFromRgba({ width: picture.width, height: picture.height, data: painted }, palette);
      expect(input.filter((v, p) => v !== picture.data[p * 4]).length).toBe(0);
    } else {
      const dv = await openOfficialDivae(dir, OPEN);
      tok = dv;
      layout = dv.encoderLayout;
      input = divaeInputFromPicture(name as DivaeDomain, picture, { channels: dv.channels, size: dv.imageSize, grid: dv.grid[0], where: name });
      const x = input;
      (c.inputIndices as number[]).forEach((idx, i) => (inputDiff = Math.max(inputDiff, Math.abs((x[idx] as number) - (VALUES[(c.inputOffset as number) + i] as number)))));
    }
    expect(tok.grid).toEqual([REF.grid, REF.grid]);
    const ids = await tok.tokenize(input as Float32Array & Int32Array);
    // The same encoder with the pre-quantization values as an extra output, beside the checkpoint.
    const header = (await openCheckpoint(tok.file)).header;
    const graphFile = join(dirname(tok.file), 'encoder_latent.onnx');
    writeFileSync(graphFile, buildVqEncoderGraph(header, layout, { latent: true }));
    latentGraph = await GraphSession.open(graphFile, OPEN);
    const S = REF.size;
    const feeds: Record<string, TensorData> = name === 'semseg'
      ? { classes: int64(BigInt64Array.from(input, (v) => BigInt(v)), [1, S, S]) }
      : { pixels: float32(input as Float32Array, [1, c.shape[1] as number, S, S]) };
    const out = await latentGraph.run(feeds);
    const latent = expectFloat32(out.latent, 'latent').data;
    const graphIds = expectInt64(out.ids, 'ids').data;
    expect(latent.length).toBe(REF.grid * REF.grid * c.latentDim);
    let latentDiff = 0;
    c.latentIndices.forEach((idx, i) => (latentDiff = Math.max(latentDiff, Math.abs((latent[idx] as number) - (VALUES[c.latentOffset + i] as number)))));
    let same = 0;
    let tied = 0;
    ids.forEach((t, i) => {
      if (t === c.tokens[i]) same++;
      else if ((c.tokenGap[i] as number) < 1e-4) tied++;
    });
    const graphsAgree = Array.from(graphIds).every((v, i) => Number(v) === ids[i]);
    return { inputDiff, latentDiff, same, tied, graphsAgree };
  } finally {
    await latentGraph?.release();
    await tok?.release();
    rmSync(dir, { recursive: true, force: true });
  }
}

const WHAT: Record<CaseName, string> = {
  rgb: 'RGB DiVAE (RGB picture)',
  depth: '1-channel depth DiVAE (grey depth, standardized)',
  normal: 'normal-map DiVAE (RGB-encoded normals)',
  semseg: 'semseg VQ-VAE (class map in palette colours)',
};
const NAMES: CaseName[] = ['rgb', 'depth', 'normal', 'semseg'];

describe('official tokenizers encode a 448 × 448 picture to 28×28 tokens as the official code does', () => {
  for (const name of NAMES) {
    it(`${WHAT[name]}: float32 — same input, pre-quantization values within 1e-4, identical tokens`, async () => {
      const c = REF.cases[name];
      const r = await encode(name, 'F32');
      console.log(`encode 448 ${name} float32 vs official: input ${r.inputDiff.toExponential(2)}, pre-quantization ${r.latentDiff.toExponential(2)} (|z| ≤ ${c.maxAbsLatent.toFixed(2)}), tokens ${r.same}/${c.tokens.length} identical (${c.distinctTokens} distinct)`);
      expect(r.inputDiff).toBeLessThan(1e-5);
      expect(r.latentDiff).toBeLessThan(1e-4);
      expect(r.graphsAgree).toBe(true);
      expect(r.same + r.tied).toBe(c.tokens.length);
    }, 120_000);
  }

  for (const name of NAMES) {
    it(`${WHAT[name]}: the file rounded to float16 stays close`, async () => {
      const c = REF.cases[name];
      const r = await encode(name, 'F16');
      console.log(`encode 448 ${name} float16 vs official float32: pre-quantization ${r.latentDiff.toExponential(2)}, tokens ${r.same}/${c.tokens.length} identical`);
      // Half-precision weights move the cosine similarities by ~1e-3: near-tied tokens may flip.
      expect(r.inputDiff).toBeLessThan(1e-5);
      expect(r.latentDiff).toBeLessThan(0.05 * Math.max(1, c.maxAbsLatent));
      expect(r.graphsAgree).toBe(true);
      expect(r.same).toBeGreaterThanOrEqual(0.9 * c.tokens.length);
    }, 120_000);
  }
});
