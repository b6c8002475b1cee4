/**
 * The 4M-7-SR-layout checkpoint stored in float16, as released 4M files may be, against the official
 * code run on the same float16-rounded weights. The file is the official-fm-sr fixture's tensors
 * rounded to half precision here (rebuildCheckpoint 'F16'); test/fixtures/official-fm-sr-extra holds
 * what the official FM (models/recipe/fourm_recipe/official/fm_sr_extra.py) computed after loading
 * those rounded tensors into its float32 model, two ways: every tensor rounded, sin-cos position
 * tables included (what the official code gets from the file), and the parameters alone rounded
 * (what the engine should match: it computes in float32 and recomputes sin-cos tables exactly).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../../../../models/engine/fm/checkpoint';
import { openOfficialFm, type OfficialFm } from '../../../../../models/engine/fm/official-fm';
import { sincos2d } from '../../../../../models/engine/fm/sincos';
import type { GenerationState, ModalityState } from '../../../../../models/sampling';
import { rebuildCheckpoint, SR_CHECKPOINT, SR_FIXTURE_DIR } from './official-fixture';

interface Rows {
  rows: number[];
  values: number[][];
}
interface HalfReference {
  rounded: string;
  context: Rows;
  maskgit: { pending: number[]; argmaxAll: number[]; gapAll: number[]; positions: number[]; stride: number; columns: number[][]; rowMaxAbs: number[] };
}
interface SrReference {
  inputs: Record<string, { tensor: number[]; visible: number[] }>;
  conditions: string[];
  target: string;
  context: { file: string; rows: number; dim: number };
  maskgit: { positions: number[]; argmax: number[]; stride: number; columns: number[][] };
}
const SR = JSON.parse(readFileSync(join(SR_FIXTURE_DIR, 'reference.json'), 'utf8')) as SrReference;
const EXTRA = JSON.parse(readFileSync(join(SR_FIXTURE_DIR, '../official-fm-sr-extra/reference.json'), 'utf8')) as {
  checkpointSha256: string;
  float16: { asLoaded: HalfReference; paramsOnly: HalfReference };
};

/** The official-fm-sr state: conditions visible, tok_rgb@448 with 60 cells decoded and the rest pending. */
function srState(fm: OfficialFm): GenerationState {
  const state: Record<string, ModalityState> = {};
  for (const name of [...SR.conditions, SR.target]) {
    const { tensor, visible } = SR.inputs[name] as { tensor: number[]; visible: number[] };
    const inputMask = new Uint8Array(tensor.length).fill(1);
    for (const p of visible) inputMask[p] = 0;
    const targetMask = name === SR.target ? inputMask.map((v) => 1 - v) : new Uint8Array(tensor.length).fill(1);
    state[name] = { kind: fm.modality(name).kind === 'sequence' ? 'sequence' : 'image', tokens: Int32Array.from(tensor), inputMask, targetMask };
  }
  return state;
}

interface Diffs {
  context: number;
  logits: number;
  argmax: number;
  argmaxClose: number;
  rows: number;
  maxLogit: number;
}

function against(ref: HalfReference, context: Float32Array, dim: number, logits: Float32Array, vocab: number, pending: Int32Array): Diffs {
  let ctx = 0;
  ref.context.rows.forEach((r, j) => {
    for (let k = 0; k < dim; k++) ctx = Math.max(ctx, Math.abs((context[r * dim + k] as number) - (ref.context.values[j]?.[k] as number)));
  });
  const m = ref.maskgit;
  expect(Array.from(pending)).toEqual(m.pending);
  let lg = 0;
  m.positions.forEach((p, j) => {
    const row = logits.subarray(pending.indexOf(p) * vocab);
    m.columns[j]?.forEach((want, c) => (lg = Math.max(lg, Math.abs((row[c * m.stride] as number) - want))));
  });
  // Argmax over every pending row; rows whose official top-1/top-2 gap is below 1e-3 may flip.
  let argmax = 0;
  let argmaxClose = 0;
  for (let r = 0; r < pending.length; r++) {
    const row = logits.subarray(r * vocab, (r + 1) * vocab);
    let best = 0;
    for (let k = 1; k < vocab; k++) if ((row[k] as number) > (row[best] as number)) best = k;
    if (best === m.argmaxAll[r]) argmax++;
    else if ((m.gapAll[r] as number) < 1e-3) argmaxClose++;
  }
  return { context: ctx, logits: lg, argmax, argmaxClose, rows: pending.length, maxLogit: Math.max(...m.rowMaxAbs) };
}

describe('the 4M-7-SR-layout checkpoint in float16 against the official code on the same rounded weights', () => {
  const dir = mkdtempSync(join(tmpdir(), 'official-fm-sr16-'));
  let fm: OfficialFm;
  beforeAll(async () => {
    rebuildCheckpoint(SR_CHECKPOINT, SR_FIXTURE_DIR, dir, 'F16');
    fm = await openOfficialFm(dir, { providers: ['cpu'], intraOpThreads: 1 });
  }, 300_000);
  afterAll(async () => {
    await fm?.release();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the reference was made on the official-fm-sr checkpoint', () => {
    expect(EXTRA.checkpointSha256).toBe(SR_CHECKPOINT.sha256);
  });

  it('keeps float16 weights in the file, computes in float32, and replaces the rounded sin-cos tables by exact ones', async () => {
    const { header } = await openCheckpoint(join(dir, 'model.safetensors'));
    expect(new Set([...header.entries.values()].map((e) => e.dtype))).toEqual(new Set(['F16']));
    const d = fm.config.dim;
    expect(fm.embeddings.modalities.get('tok_rgb@448')?.decPos).toEqual(sincos2d(28, 28, d));
    expect(fm.embeddings.modalities.get('tok_semseg@224')?.encPos).toEqual(sincos2d(14, 14, d));
  });

  it('encoder context and tok_rgb@448 MaskGIT logits match the official float16 run', async () => {
    const state = srState(fm);
    const enc = await fm.runner.encode([state]);
    const target = state[SR.target] as ModalityState;
    const pending = Int32Array.from(Array.from(target.targetMask.keys()).filter((i) => target.targetMask[i] === 0));
    const [logits] = await fm.runner.imageLogits([{ state, target: SR.target, positions: pending }]);
    const V = fm.modality(SR.target).vocabSize;
    const { paramsOnly, asLoaded } = EXTRA.float16;
    const exact = against(paramsOnly, enc.context, fm.config.dim, logits as Float32Array, V, pending);
    const loaded = against(asLoaded, enc.context, fm.config.dim, logits as Float32Array, V, pending);
    const fmt = (label: string, r: Diffs): string =>
      `${label}: context ${r.context.toExponential(2)}, tok_rgb@448 MaskGIT ${r.logits.toExponential(2)} (argmax ${r.argmax}/${r.rows}${r.argmaxClose ? `, ${r.argmaxClose} flips under a 1e-3 gap` : ''})`;
    // What storage costs: the float16 file vs the official float32 run (official-fm-sr's reference).
    const ctx32 = new Float32Array(readFileSync(join(SR_FIXTURE_DIR, SR.context.file)).buffer.slice(0));
    let storageCtx = 0;
    for (let i = 0; i < SR.context.rows * SR.context.dim; i++) storageCtx = Math.max(storageCtx, Math.abs((enc.context[i] as number) - (ctx32[i] as number)));
    let storageLogits = 0;
    let storageArgmax = 0;
    SR.maskgit.positions.forEach((p, j) => {
      const row = (logits as Float32Array).subarray(pending.indexOf(p) * V, (pending.indexOf(p) + 1) * V);
      SR.maskgit.columns[j]?.forEach((want, c) => (storageLogits = Math.max(storageLogits, Math.abs((row[c * SR.maskgit.stride] as number) - want))));
      let best = 0;
      for (let k = 1; k < V; k++) if ((row[k] as number) > (row[best] as number)) best = k;
      if (best === SR.maskgit.argmax[j]) storageArgmax++;
    });
    const storage = `vs the official float32 run: context ${storageCtx.toExponential(2)}, MaskGIT ${storageLogits.toExponential(2)} (argmax ${storageArgmax}/${SR.maskgit.positions.length})`;
    const line = `4M-7-SR float16 file vs official 4M on the same rounded weights — ${fmt('parameters rounded', exact)}; ${fmt('every tensor rounded (sin-cos too)', loaded)}; ${storage}`;
    console.log(line);
    if (process.env.FOURM_PARITY_OUT) writeFileSync(process.env.FOURM_PARITY_OUT, `${line}\n`, { flag: 'a' });
    // Same weights, float32 arithmetic both sides: float32-level agreement.
    expect(exact.context).toBeLessThan(1e-4);
    expect(exact.logits).toBeLessThan(1e-4);
    expect(exact.argmax + exact.argmaxClose).toBe(exact.rows);
    // The official run also rounds the sin-cos tables (≤ 2^-12): within 5 % of the largest logit.
    expect(loaded.context).toBeLessThan(0.05);
    expect(loaded.logits).toBeLessThan(0.05 * Math.max(1, loaded.maxLogit));
    expect(loaded.argmax).toBeGreaterThanOrEqual(Math.floor(0.95 * loaded.rows));
    expect(storageCtx).toBeLessThan(0.05);
    expect(storageLogits).toBeLessThan(0.05 * Math.max(1, loaded.maxLogit));
  }, 300_000);
});
