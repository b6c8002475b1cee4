/**
 * An official-layout FM checkpoint runs in the engine through graphs written in TypeScript:
 * the recipe's weights file (official state-dict names, float16) becomes a package whose
 * embeddings are read straight from the checkpoint and whose encoder, decoder and heads are
 * weight-free graphs pointing into it. The forward pass must match PyTorch's saved logits,
 * and each graph the PyTorch-exported one.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFmGraphs } from '../../../../../models/engine/convert/fm-decoder-graph';
import { readSafetensorsHeader } from '../../../../../models/engine/fm/safetensors';
import { loadEngineModel, type EngineModel } from '../../../../../models/engine/generate';
import { bool, expectFloat32, float32, GraphSession } from '../../../../../models/engine/runtime';
import type { ModelManifest } from '../../../../../models/registry';
import { sha256File } from '../../../../../models/registry/package-loader';
import { fullImageInput, fullSequenceInput } from '../../../../../models/sampling';
import { MODEL_DIR } from '../model-fixture';

const WEIGHTS = join(__dirname, '../../../../../models/recipe/runs/fm/weights.safetensors');
const FIXTURE = JSON.parse(readFileSync(join(__dirname, '../../../../fixtures/model/world-4m-small/parity.json'), 'utf8')) as {
  inputs: Record<string, { tokens: number[] }>;
  target: { modality: string; positions: number[] };
  expected: { argmax: number[]; logitsHead: number[][]; contextHead: number[]; tolerance: number };
};
const dir = mkdtempSync(join(tmpdir(), 'official-pkg-'));
let model: EngineModel;
let manifest: ModelManifest;

beforeAll(async () => {
  copyFileSync(WEIGHTS, join(dir, 'model.safetensors'));
  for (const d of ['tokenizers', 'text']) symlinkSync(join(MODEL_DIR, d), join(dir, d));
  const shipped = JSON.parse(readFileSync(join(MODEL_DIR, 'manifest.json'), 'utf8')) as ModelManifest;
  const header = await readSafetensorsHeader(join(dir, 'model.safetensors'));
  const { fm } = shipped;
  const graphs = await writeFmGraphs(header, { dim: fm.dim, depth: fm.encoderDepth, decoderDepth: fm.decoderDepth, heads: fm.numHeads }, Object.keys(fm.heads));
  const files: ModelManifest['files'] = {};
  const used = [graphs.encoder, graphs.decoder, graphs.decoderCache.contextKv, graphs.decoderCache.step, ...Object.values(graphs.heads), 'model.safetensors', ...Object.keys(shipped.files).filter((f) => !f.startsWith('fm/'))];
  for (const rel of used) files[rel] = { sha256: await sha256File(join(dir, rel)), bytes: statSync(join(dir, rel)).size };
  manifest = {
    ...shipped,
    id: 'official-layout-test',
    fm: { dim: fm.dim, encoderDepth: fm.encoderDepth, decoderDepth: fm.decoderDepth, numHeads: fm.numHeads, positionTables: 'stored', ...graphs, embeddings: 'model.safetensors' },
    files,
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  model = await loadEngineModel(dir, { providers: ['cpu'] });
}, 120_000);
afterAll(async () => {
  await model?.release();
  rmSync(dir, { recursive: true, force: true });
});

function maxDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

describe('an official-layout checkpoint through TypeScript-written graphs', () => {
  it('keeps the graphs weight-free (a few kB each)', () => {
    for (const rel of [manifest.fm.encoder, manifest.fm.decoder, ...Object.values(manifest.fm.heads)]) expect(statSync(join(dir, rel)).size).toBeLessThan(64 * 1024);
  });

  it('matches PyTorch: encoder context and target logits of the parity fixture', async () => {
    const state: Record<string, ReturnType<typeof fullImageInput>> = {};
    for (const [name, { tokens }] of Object.entries(FIXTURE.inputs)) {
      state[name] = model.modality(name).type === 'img' ? fullImageInput(tokens) : fullSequenceInput(tokens, model.vocab);
    }
    const ctx = await model.runner.encode([state]);
    const ctxDiff = maxDiff(ctx.context.subarray(0, FIXTURE.expected.contextHead.length), Float32Array.from(FIXTURE.expected.contextHead));
    const [logits] = await model.runner.imageLogits([{ state, target: FIXTURE.target.modality, positions: Int32Array.from(FIXTURE.target.positions) }]);
    const V = model.imageModality(FIXTURE.target.modality).vocabSize;
    const l = logits as Float32Array;
    let logitDiff = 0;
    FIXTURE.expected.logitsHead.forEach((row, p) => row.forEach((want, k) => (logitDiff = Math.max(logitDiff, Math.abs((l[p * V + k] as number) - want)))));
    let agree = 0;
    FIXTURE.expected.argmax.forEach((a, p) => {
      const r = l.subarray(p * V, (p + 1) * V);
      if (r.indexOf(Math.max(...r)) === a) agree++;
    });
    console.log(`official-layout package vs PyTorch: context ${ctxDiff.toExponential(2)}, logits ${logitDiff.toExponential(2)}, argmax ${agree}/${FIXTURE.expected.argmax.length}`);
    expect(ctxDiff).toBeLessThan(1e-4);
    expect(logitDiff).toBeLessThan(1e-4);
    expect(agree).toBe(FIXTURE.expected.argmax.length);
  }, 60_000);

  it('decoder and head graphs match the exported ones with masks', async () => {
    const open = (f: string): Promise<GraphSession> => GraphSession.open(f, { providers: ['cpu'] });
    const [ours, theirs, headOurs, headTheirs] = await Promise.all([
      open(join(dir, manifest.fm.decoder)), open(join(MODEL_DIR, 'fm/decoder.onnx')),
      open(join(dir, manifest.fm.heads.caption as string)), open(join(MODEL_DIR, 'fm/head_caption.onnx')),
    ]);
    try {
      const [B, M, N, D] = [2, 5, 6, 256];
      const r = (n: number, seed: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233) * 0.8);
      const encPad = new Uint8Array(B * N);
      encPad[N + 4] = 1;
      encPad[N + 5] = 1;
      const sa = new Uint8Array(B * M * M);
      for (let b = 0; b < B; b++) for (let i = 0; i < M; i++) for (let j = i + 1; j < M; j++) sa[b * M * M + i * M + j] = 1;
      const feeds = { y: float32(r(B * M * D, 1), [B, M, D]), context: float32(r(B * N * D, 2), [B, N, D]), enc_pad: bool(encPad, [B, N]), sa_mask: bool(sa, [B, M, M]) };
      const a = expectFloat32((await ours.run(feeds)).hidden, 'ours');
      const b = expectFloat32((await theirs.run(feeds)).hidden, 'theirs');
      const dDec = maxDiff(a.data, b.data);
      const ha = expectFloat32((await headOurs.run({ hidden: a })).logits, 'head ours');
      const hb = expectFloat32((await headTheirs.run({ hidden: a })).logits, 'head theirs');
      const dHead = maxDiff(ha.data, hb.data);
      console.log(`decoder graph ${dDec.toExponential(2)}, caption head ${dHead.toExponential(2)} vs exported`);
      expect(dDec).toBeLessThan(1e-4);
      expect(dHead).toBeLessThan(1e-4);
    } finally {
      await Promise.all([ours, theirs, headOurs, headTheirs].map((s) => s.release()));
    }
  }, 60_000);
});
