/**
 * Parity with the official 4M code on a 4M-7-SR-layout checkpoint (224 → 448 super-resolution).
 * test/fixtures/official-fm-sr holds what the official FM (github.com/apple/ml-4m, run by
 * models/recipe/fourm_recipe/official/fm_sr_fixture.py) computed on the SR modality set shrunk to
 * dim 32 (14×14 grids for the @224 conditions and 28×28 grids with 784-row position tables for the
 * @448 modalities, in one model), in the middle of a super-resolution chain: the encoder context,
 * MaskGIT logits of the pending tok_rgb@448 cells, the guided logits the official guided MaskGIT
 * step samples from, ROAR logits of tok_depth@448 cells, and the demo's SR schedule.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../../../../models/engine/fm/checkpoint';
import { openOfficialFm, type OfficialFm } from '../../../../../models/engine/fm/official-fm';
import { checkOfficialTensors } from '../../../../../models/engine/fm/official-modalities';
import { sincos2d } from '../../../../../models/engine/fm/sincos';
import { buildChainSchedule, combineGuidance, guidanceStates, type GenerationState, type ModalityState } from '../../../../../models/sampling';
import { SR_CHECKPOINT, SR_FIXTURE_DIR, writeOfficialSrCheckpoint } from './official-fixture';

interface Summary {
  positions: number[];
  argmax: number[];
  gap: number[];
  stride: number;
  columns: number[][];
  rowMaxAbs: number[];
}
interface Reference {
  checkpointSha256: string;
  inputs: Record<string, { tensor: number[]; visible: number[] }>;
  conditions: string[];
  target: string;
  context: { file: string; rows: number; dim: number; order: string[] };
  maskgit: Summary;
  guided: Summary & { scale: number; conditions: string[] };
  roar: Summary & { target: string };
  schedule: { target: string; scheme: string; numTokens: number; temperature: number; cfgScale: number; conditions: string[] }[];
}

const REF = JSON.parse(readFileSync(join(SR_FIXTURE_DIR, 'reference.json'), 'utf8')) as Reference;
const CONTEXT = new Float32Array(readFileSync(join(SR_FIXTURE_DIR, REF.context.file)).buffer.slice(0));

/** The reference state: conditions fully visible (sequences up to [EOS]), the target partly decoded. */
function referenceState(fm: OfficialFm, target?: string): GenerationState {
  const state: Record<string, ModalityState> = {};
  for (const name of [...REF.conditions, REF.target]) {
    const { tensor, visible } = REF.inputs[name] as { tensor: number[]; visible: number[] };
    const inputMask = new Uint8Array(tensor.length).fill(1);
    for (const p of visible) inputMask[p] = 0;
    const isTarget = name === target;
    const targetMask = isTarget ? inputMask.map((v) => 1 - v) : new Uint8Array(tensor.length).fill(1);
    state[name] = { kind: fm.modality(name).kind === 'sequence' ? 'sequence' : 'image', tokens: Int32Array.from(tensor), inputMask, targetMask };
  }
  return state;
}

interface Compared {
  maxDiff: number;
  argmaxAgree: number;
  rows: number;
}

function compare(logits: Float32Array, vocab: number, ref: Summary, rowOf: (r: number) => number = (r) => r): Compared {
  let maxDiff = 0;
  let argmaxAgree = 0;
  ref.columns.forEach((cols, r) => {
    const row = logits.subarray(rowOf(r) * vocab, (rowOf(r) + 1) * vocab);
    cols.forEach((want, j) => (maxDiff = Math.max(maxDiff, Math.abs((row[j * ref.stride] as number) - want))));
    let best = 0;
    for (let k = 1; k < vocab; k++) if ((row[k] as number) > (row[best] as number)) best = k;
    if (best === ref.argmax[r]) argmaxAgree++;
  });
  return { maxDiff, argmaxAgree, rows: ref.columns.length };
}

const pendingOf = (s: ModalityState): Int32Array => Int32Array.from(Array.from(s.targetMask.keys()).filter((i) => s.targetMask[i] === 0));

describe('an official-format 4M-7-SR-layout checkpoint against the official code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'official-fm-sr-'));
  let fm: OfficialFm;
  let sha = '';
  beforeAll(async () => {
    sha = writeOfficialSrCheckpoint(dir);
    fm = await openOfficialFm(dir, { providers: ['cpu'], intraOpThreads: 1 });
  }, 300_000);
  afterAll(async () => {
    await fm?.release();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rebuilds the very file the official code saved', () => {
    expect(sha).toBe(SR_CHECKPOINT.sha256);
    expect(REF.checkpointSha256).toBe(SR_CHECKPOINT.sha256);
  });

  it('reads 14×14 and 28×28 grids from one config, with float32 sin-cos tables of 196 and 784 rows', () => {
    const t = Object.fromEntries(fm.table.map((m) => [m.name, m]));
    expect(fm.table).toHaveLength(14);
    expect(t['tok_rgb@224']).toMatchObject({ kind: 'image-tokens', grid: [14, 14], positions: 196, input: true, output: false });
    expect(t['tok_rgb@448']).toMatchObject({ kind: 'image-tokens', grid: [28, 28], positions: 784, vocabSize: 16_384, input: true, output: true });
    expect(t['tok_semseg@448']).toMatchObject({ grid: [28, 28], vocabSize: 4096, output: true });
    expect(t['rgb@448']).toMatchObject({ kind: 'image-pixels', grid: [28, 28], input: true, output: false });
    expect(fm.pixelInputs.get('rgb@448')).toMatchObject({ size: 448, grid: [28, 28], patch: 16 });
    const d = fm.config.dim;
    const big = fm.embeddings.modalities.get('tok_depth@448');
    const small = fm.embeddings.modalities.get('tok_depth@224');
    expect(big?.decPos).toEqual(sincos2d(28, 28, d));
    expect(big?.encPos).toEqual(sincos2d(28, 28, d));
    expect(small?.encPos).toEqual(sincos2d(14, 14, d));
    expect(big?.decPos.length).toBe(784 * d);
  });

  it('context, MaskGIT, guided and ROAR logits match the official code (float32)', async () => {
    const state = referenceState(fm, REF.target);
    const enc = await fm.runner.encode([state]);
    let context = 0;
    for (let i = 0; i < REF.context.rows * REF.context.dim; i++) context = Math.max(context, Math.abs((enc.context[i] as number) - (CONTEXT[i] as number)));

    // MaskGIT queries every pending cell; the reference kept some rows.
    const pending = pendingOf(state[REF.target] as ModalityState);
    const rowOf = (positions: number[]) => (r: number): number => pending.indexOf(positions[r] as number);
    const V = fm.modality(REF.target).vocabSize;
    const [cond] = await fm.runner.imageLogits([{ state, target: REF.target, positions: pending }]);
    const maskgit = compare(cond as Float32Array, V, REF.maskgit, rowOf(REF.maskgit.positions));

    // Guidance as the sampler runs it: [cond, uncond] states, mixed with the reference's scale.
    const guidance = { kind: 'single', scale: REF.guided.scale, conditions: REF.guided.conditions } as const;
    const states = guidanceStates(state, guidance, fm.vocab);
    const passes = await fm.runner.imageLogits(states.map((s) => ({ state: s, target: REF.target, positions: pending })));
    const guided = compare(combineGuidance(guidance, passes), V, REF.guided, rowOf(REF.guided.positions));

    const { roar: r } = REF;
    const depthState: GenerationState = { ...referenceState(fm), [r.target]: { kind: 'image', tokens: new Int32Array(784), inputMask: new Uint8Array(784).fill(1), targetMask: new Uint8Array(784).fill(1) } };
    for (const p of r.positions) (depthState[r.target] as ModalityState).targetMask[p] = 0;
    const [depthLogits] = await fm.runner.imageLogits([{ state: depthState, target: r.target, positions: Int32Array.from(r.positions) }]);
    const roar = compare(depthLogits as Float32Array, fm.modality(r.target).vocabSize, r);

    const line = `4M-7-SR layout vs official 4M (float32): context ${context.toExponential(2)} (${REF.context.rows} rows); tok_rgb@448 MaskGIT ${maskgit.maxDiff.toExponential(2)} (argmax ${maskgit.argmaxAgree}/${maskgit.rows}); guided ×${REF.guided.scale} ${guided.maxDiff.toExponential(2)} (argmax ${guided.argmaxAgree}/${guided.rows}); tok_depth@448 ROAR ${roar.maxDiff.toExponential(2)} (argmax ${roar.argmaxAgree}/${roar.rows})`;
    console.log(line);
    if (process.env.FOURM_PARITY_OUT) writeFileSync(process.env.FOURM_PARITY_OUT, `${line}\n`, { flag: 'a' });
    expect(enc.context.length).toBeGreaterThanOrEqual(REF.context.rows * REF.context.dim);
    expect(context).toBeLessThan(1e-4);
    for (const c of [maskgit, guided, roar]) {
      expect(c.maxDiff).toBeLessThan(1e-4);
      expect(c.argmaxAgree).toBe(c.rows);
    }
  }, 300_000);

  it('plans the demo SR chain as the official schedule builder does (MaskGIT, 8 cosine steps, guidance 2)', () => {
    const conditions = REF.schedule[0]?.conditions ?? [];
    const targets = ['tok_clip@448', 'tok_rgb@448'].map((modality) => ({
      modality, scheme: 'maskgit' as const, steps: 8, tokenSchedule: 'cosine' as const, temperature: 1, temperatureSchedule: 'constant' as const, cfgScale: 2, topK: 0, topP: 0.8,
    }));
    const plan = buildChainSchedule({ conditions, targets, tokensPerTarget: { 'tok_clip@448': 784, 'tok_rgb@448': 784 }, cfgGrowConditioning: true });
    expect(plan.map((s) => ({ target: s.target, scheme: s.scheme, numTokens: s.numTokens, temperature: s.temperature, cfgScale: s.guidance.kind === 'single' ? s.guidance.scale : 1, conditions: s.guidance.kind === 'single' ? [...s.guidance.conditions] : [] }))).toEqual(REF.schedule);
  });

  it('refuses a file whose tensors do not fit the grids its config names, naming the file and tensor', async () => {
    const file = join(dir, 'model.safetensors');
    const { header } = await openCheckpoint(file);
    // A 448 decoder position table cut to the 224 grid (196 rows instead of 784).
    const key = 'decoder_embeddings.tok_rgb@448.pos_emb';
    const entries = new Map(header.entries);
    const entry = entries.get(key);
    if (!entry) throw new Error(`no ${key}`);
    entries.set(key, { ...entry, shape: [1, 196, fm.config.dim] });
    expect(() => checkOfficialTensors({ ...header, entries }, fm.table, fm.config.dim)).toThrow(`${file}: "${key}" has shape [1, 196, 32], expected [1, 784, 32]`);

    // A config that makes the 224 grids outputs: the file has no decoder tensors for them.
    const bad = mkdtempSync(join(tmpdir(), 'official-fm-sr-bad-'));
    try {
      copyFileSync(file, join(bad, 'model.safetensors'));
      writeFileSync(join(bad, 'config.json'), JSON.stringify({ ...SR_CHECKPOINT.config, domains_out: ['tok_rgb@224'] }));
      await expect(openOfficialFm(bad)).rejects.toThrow(`${join(bad, 'model.safetensors')}: tensor "decoder_embeddings.tok_rgb@224.pos_emb" is missing`);
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });
});
