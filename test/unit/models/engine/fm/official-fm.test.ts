/**
 * Parity with the official 4M code. test/fixtures/official-fm holds what the official FM
 * (github.com/apple/ml-4m, run by models/recipe/fourm_recipe/official/fm_fixture.py) computed on a
 * 4M-21-layout checkpoint (all 19 modalities, dim 64, 2 + 2 layers): the encoder context, image-target
 * logits through its ROAR forward, teacher-forced caption logits, and a greedy caption through its
 * autoregressive step. The checkpoint is rebuilt here byte for byte (checked by SHA-256), opened with
 * openOfficialFm (config.json → modality table, weight-free graphs written beside it) and run on ONNX
 * Runtime through the engine's FmRunner and the sampler.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOfficialFm, type OfficialFm } from '../../../../../models/engine/fm/official-fm';
import { autoregressiveStep, emptySequenceTarget, type GenerationState, type ModalityState, type PlannedStep } from '../../../../../models/sampling';
import { createRng } from '../../../../../models/core';
import { CHECKPOINT, FIXTURE_DIR, writeOfficialCheckpoint } from './official-fixture';

interface Summary {
  argmax: number[];
  gap: number[];
  stride: number;
  columns: number[][];
  rowMaxAbs: number[];
}
interface Reference {
  checkpointSha256: string;
  order: string[];
  inputs: Record<string, { tensor: number[]; visible: number[] }>;
  context: { file: string; rows: number; dim: number };
  imageTargets: Record<string, Summary & { positions: number[] }>;
  sequenceTarget: Summary & { target: string; inputs: string[]; targetLength: number; prefix: number[] };
  greedyCaption: { target: string; inputs: string[]; targetLength: number; ids: number[] };
}

const REF = JSON.parse(readFileSync(join(FIXTURE_DIR, 'reference.json'), 'utf8')) as Reference;
const CONTEXT = new Float32Array(readFileSync(join(FIXTURE_DIR, REF.context.file)).buffer.slice(0));

/** The reference inputs as engine states: visible = inputMask 0, never targets. */
function inputState(names: readonly string[], fm: OfficialFm): Record<string, ModalityState> {
  const state: Record<string, ModalityState> = {};
  for (const name of names) {
    const { tensor, visible } = REF.inputs[name] as { tensor: number[]; visible: number[] };
    const inputMask = new Uint8Array(tensor.length).fill(1);
    for (const p of visible) inputMask[p] = 0;
    const kind = fm.modality(name).kind === 'sequence' ? 'sequence' : 'image';
    state[name] = { kind, tokens: Int32Array.from(tensor), inputMask, targetMask: new Uint8Array(tensor.length).fill(1) };
  }
  return state;
}

interface Compared {
  maxDiff: number;
  argmaxAgree: number;
  rows: number;
  maxLogit: number;
}

/** Engine logits [rows × V] against the reference's sampled columns and argmax. */
function compare(logits: Float32Array, vocab: number, ref: Summary): Compared {
  let maxDiff = 0;
  let argmaxAgree = 0;
  let maxLogit = 0;
  ref.columns.forEach((cols, r) => {
    const row = logits.subarray(r * vocab, (r + 1) * vocab);
    cols.forEach((want, j) => (maxDiff = Math.max(maxDiff, Math.abs((row[j * ref.stride] as number) - want))));
    let best = 0;
    for (let k = 1; k < vocab; k++) if ((row[k] as number) > (row[best] as number)) best = k;
    if (best === ref.argmax[r]) argmaxAgree++;
    maxLogit = Math.max(maxLogit, ref.rowMaxAbs[r] as number);
  });
  return { maxDiff, argmaxAgree, rows: ref.columns.length, maxLogit };
}

const greedyStep = (target: string): PlannedStep => ({
  target, scheme: 'autoregressive', numTokens: null, targetStep: 0, targetSteps: 1, temperature: 0, topK: 0, topP: 0, guidance: { kind: 'none' },
});

interface Run {
  context: number;
  image: Record<string, Compared>;
  caption: Compared;
  greedy: number[];
}

async function runAll(fm: OfficialFm): Promise<Run> {
  const state = inputState(REF.order, fm);
  const enc = await fm.runner.encode([state]);
  let context = 0;
  for (let i = 0; i < REF.context.rows * REF.context.dim; i++) context = Math.max(context, Math.abs((enc.context[i] as number) - (CONTEXT[i] as number)));
  const image: Record<string, Compared> = {};
  for (const [target, ref] of Object.entries(REF.imageTargets)) {
    const [logits] = await fm.runner.imageLogits([{ state, target, positions: Int32Array.from(ref.positions) }]);
    image[target] = compare(logits as Float32Array, fm.modality(target).vocabSize, ref);
  }
  const seq = REF.sequenceTarget;
  const seqState: GenerationState = { ...inputState(seq.inputs, fm), [seq.target]: emptySequenceTarget(seq.targetLength, fm.vocab) };
  const V = fm.modality(seq.target).vocabSize;
  const rows = new Float32Array(seq.prefix.length * V);
  // sequenceLogits answers the last prefix row: one call per prefix length gives every row.
  for (let k = 1; k <= seq.prefix.length; k++) {
    const [last] = await fm.runner.sequenceLogits([{ state: seqState, target: seq.target, prefix: Int32Array.from(seq.prefix.slice(0, k)) }]);
    rows.set(last as Float32Array, (k - 1) * V);
  }
  const caption = compare(rows, V, seq);
  const g = REF.greedyCaption;
  const gState: GenerationState = { ...inputState(g.inputs, fm), [g.target]: emptySequenceTarget(g.targetLength, fm.vocab) };
  const out = await autoregressiveStep(gState, greedyStep(g.target), { model: fm.runner, rng: createRng(1), vocab: fm.vocab, maxTokens: fm.modality(g.target).maxTokens });
  return { context, image, caption, greedy: Array.from(out.generated) };
}

const report = (label: string, r: Run): void => {
  const img = Object.entries(r.image).map(([t, c]) => `${t} ${c.maxDiff.toExponential(2)} (argmax ${c.argmaxAgree}/${c.rows})`).join(', ');
  console.log(`${label} vs official 4M: context ${r.context.toExponential(2)}; logits ${img}; caption ${r.caption.maxDiff.toExponential(2)} (argmax ${r.caption.argmaxAgree}/${r.caption.rows}); greedy caption ${r.greedy.join(' ')}`);
};

describe('an official-format 4M-21-layout checkpoint against the official code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'official-fm-'));
  let fm: OfficialFm;
  let sha = '';
  beforeAll(async () => {
    sha = writeOfficialCheckpoint(dir);
    fm = await openOfficialFm(dir, { providers: ['cpu'], intraOpThreads: 1 });
  }, 300_000);
  afterAll(async () => {
    await fm?.release();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rebuilds the very file the official code saved', () => {
    expect(sha).toBe(CHECKPOINT.sha256);
    expect(REF.checkpointSha256).toBe(CHECKPOINT.sha256);
  });

  it('reads the config into the official modality table', () => {
    const t = Object.fromEntries(fm.table.map((m) => [m.name, m]));
    expect(fm.table).toHaveLength(19);
    expect(t['rgb@224']).toMatchObject({ kind: 'image-pixels', grid: [14, 14], input: true, output: false });
    expect(t.t5_caption).toMatchObject({ kind: 'sequence-embedding', positions: 77, width: 4096, output: false });
    expect(t['tok_rgb@224']).toMatchObject({ kind: 'image-tokens', vocabSize: 16_384, positions: 196 });
    expect(t['tok_semseg@224']).toMatchObject({ vocabSize: 4096, positions: 196 });
    expect(t['tok_dinov2@224']).toMatchObject({ vocabSize: 8192, grid: [16, 16], positions: 256 });
    expect(t.tok_imagebind_global).toMatchObject({ grid: [4, 4], positions: 16, learnedPositions: true });
    expect(t.human_poses).toMatchObject({ kind: 'sequence', vocabSize: 30_000, positions: 263, maxTokens: 275 });
    expect(t.sam_instance).toMatchObject({ positions: 290 });
    expect(t.color_palette).toMatchObject({ positions: 23 });
    expect(t.metadata).toMatchObject({ positions: 40 });
    expect(fm.table.filter((m) => m.output)).toHaveLength(17);
    // Every token modality got embedding tables, in the official (sorted) order.
    expect(fm.embeddings.order).toEqual(fm.table.filter((m) => m.kind === 'image-tokens' || m.kind === 'sequence' || m.kind === 'image-pixels').map((m) => m.name));
  });

  it('float32: context, logits, argmax and the greedy caption match the official forward', async () => {
    const r = await runAll(fm);
    report('float32', r);
    expect(r.context).toBeLessThan(1e-4);
    for (const c of [...Object.values(r.image), r.caption]) {
      expect(c.maxDiff).toBeLessThan(1e-4);
      expect(c.argmaxAgree).toBe(c.rows);
    }
    expect(r.greedy).toEqual(REF.greedyCaption.ids);
  }, 120_000);

  it('captions run on the incremental decoder, and recomputing the full decoder per token agrees', async () => {
    expect(fm.runner.usesDecoderCache).toBe(true);
    const full = await openOfficialFm(dir, { providers: ['cpu'], intraOpThreads: 1, decoderCache: false });
    try {
      expect(full.runner.usesDecoderCache).toBe(false);
      const [cached, recomputed] = [await runAll(fm), await runAll(full)];
      report('full decoder per token', recomputed);
      expect(recomputed.caption.maxDiff).toBeLessThan(1e-4);
      expect(Math.abs(recomputed.caption.maxDiff - cached.caption.maxDiff)).toBeLessThan(1e-5);
      expect(recomputed.greedy).toEqual(cached.greedy);
      // The cached path ran one decoder row per caption token, the full one the whole prefix each time.
      expect(fm.runner.stats.decoderTokens).toBeLessThan(full.runner.stats.decoderTokens);
    } finally {
      await full.release();
    }
  }, 120_000);

  it('float16 storage: the same file rounded to half precision stays close', async () => {
    const half = mkdtempSync(join(tmpdir(), 'official-fm16-'));
    let fm16: OfficialFm | undefined;
    try {
      writeOfficialCheckpoint(half, 'F16');
      fm16 = await openOfficialFm(half, { providers: ['cpu'], intraOpThreads: 1 });
      const r = await runAll(fm16);
      report('float16 weights', r);
      expect(r.context).toBeLessThan(0.05);
      for (const c of [...Object.values(r.image), r.caption]) expect(c.maxDiff).toBeLessThan(0.05 * Math.max(1, c.maxLogit));
    } finally {
      await fm16?.release();
      rmSync(half, { recursive: true, force: true });
    }
  }, 300_000);

  it('refuses a config it cannot run, naming the file and the field', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'official-bad-'));
    try {
      copyFileSync(join(dir, 'model.safetensors'), join(bad, 'model.safetensors'));
      const write = (patch: Record<string, unknown>): void => writeFileSync(join(bad, 'config.json'), JSON.stringify({ ...CHECKPOINT.config, ...patch }));
      const cfg = join(bad, 'config.json');
      write({ domains_in: [...(CHECKPOINT.config.domains_in as string[]), 'tok_flow@224'] });
      await expect(openOfficialFm(bad)).rejects.toThrow(`${cfg}: domains_in[19]: "tok_flow@224" is not a 4M modality`);
      write({ domains_out: [...(CHECKPOINT.config.domains_out as string[]), 'rgb@224'] });
      await expect(openOfficialFm(bad)).rejects.toThrow(`${cfg}: domains_out[17]: "rgb@224" is an input-only modality`);
      write({ act_layer: 'GELU' });
      await expect(openOfficialFm(bad)).rejects.toThrow(`${cfg}: act_layer: "GELU"`);
      write({ dim: 'sixty-four' });
      await expect(openOfficialFm(bad)).rejects.toThrow(`${cfg}: dim:`);
      // A config naming a modality the file has no tensors for: the file and the tensor are named.
      write({ image_size: 448 });
      await expect(openOfficialFm(bad)).rejects.toThrow(/model\.safetensors: "encoder_embeddings\.tok_dinov2_global\.pos_emb" has shape \[1, 16, 64\], expected \[1, 64, 64\]/);
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  }, 120_000);
});
