/**
 * The 4M-7-SR-layout checkpoint's rgb@448 pixel input against the official code:
 * test/fixtures/official-fm-sr-extra (models/recipe/fourm_recipe/official/fm_sr_extra.py) holds what
 * the official FM computed on the official-fm-sr weights for a hashed 448 × 448 picture: the patch
 * projection x and position + modality rows of `encoder_embeddings["rgb@448"]` (28 × 28 patches of
 * 16 px), sampled rows of the encoder context of {caption, rgb@448, tok_rgb@224}, and tok_rgb@448
 * logits of 20 cells through its ROAR forward. The engine normalises the same uint8 picture itself.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOfficialFm, type OfficialFm } from '../../../../../models/engine/fm/official-fm';
import { normalizeRgb, projectPatches } from '../../../../../models/engine/fm/pixel-input';
import { fullImageInput, type GenerationState, type ModalityState } from '../../../../../models/sampling';
import { hashedPicture, SR_FIXTURE_DIR, writeOfficialSrCheckpoint } from './official-fixture';

interface Reference {
  checkpointSha256: string;
  rgb448: {
    picture: { seed: string; height: number; width: number };
    inputs: string[];
    rows: number[];
    x: number[][];
    emb: number[][];
    context: { total: number; rows: number[]; values: number[][] };
    logits: { target: string; positions: number[]; argmax: number[]; stride: number; columns: number[][] };
  };
}
const REF = JSON.parse(readFileSync(join(SR_FIXTURE_DIR, '../official-fm-sr-extra/reference.json'), 'utf8')) as Reference;
const SR = JSON.parse(readFileSync(join(SR_FIXTURE_DIR, 'reference.json'), 'utf8')) as { inputs: Record<string, { tensor: number[]; visible: number[] }> };

/** A condition as the official fixture gives it: its visible cells are inputs, nothing is a target. */
function condition(fm: OfficialFm, name: string): ModalityState {
  const { tensor, visible } = SR.inputs[name] as { tensor: number[]; visible: number[] };
  const inputMask = new Uint8Array(tensor.length).fill(1);
  for (const p of visible) inputMask[p] = 0;
  return { kind: fm.modality(name).kind === 'sequence' ? 'sequence' : 'image', tokens: Int32Array.from(tensor), inputMask, targetMask: new Uint8Array(tensor.length).fill(1) };
}

describe('the SR model\'s rgb@448 pixel input against the official code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'official-fm-sr-rgb-'));
  let fm: OfficialFm;
  beforeAll(async () => {
    expect(writeOfficialSrCheckpoint(dir)).toBe(REF.checkpointSha256);
    fm = await openOfficialFm(dir, { providers: ['cpu'], intraOpThreads: 1 });
  }, 300_000);
  afterAll(async () => {
    await fm?.release();
    rmSync(dir, { recursive: true, force: true });
  });

  it('normalisation, 28×28 patch embedding, context and tok_rgb@448 logits match', async () => {
    const r = REF.rgb448;
    const input = fm.pixelInputs.get('rgb@448');
    if (!input) throw new Error('no rgb@448 pixel input');
    expect(input).toMatchObject({ size: 448, grid: [28, 28], patch: 16, channels: 3, dim: 32 });
    const chw = normalizeRgb(hashedPicture(r.picture.seed, r.picture.width), 448);
    const x = projectPatches(input, chw);
    const d = input.dim;
    let xDiff = 0;
    let embDiff = 0;
    r.rows.forEach((row, j) => {
      for (let k = 0; k < d; k++) {
        xDiff = Math.max(xDiff, Math.abs((x[row * d + k] as number) - (r.x[j]?.[k] as number)));
        embDiff = Math.max(embDiff, Math.abs((input.pos[row * d + k] as number) + (input.mod[k] as number) - (r.emb[j]?.[k] as number)));
      }
    });

    const cells = fm.setPicture('rgb@448', chw);
    expect(cells.length).toBe(784);
    const state: GenerationState = { caption: condition(fm, 'caption'), 'rgb@448': fullImageInput(cells), 'tok_rgb@224': condition(fm, 'tok_rgb@224') };
    expect(Object.keys(state).sort()).toEqual(r.inputs);
    const enc = await fm.runner.encode([state]);
    let ctxDiff = 0;
    r.context.rows.forEach((row, j) => {
      for (let k = 0; k < d; k++) ctxDiff = Math.max(ctxDiff, Math.abs((enc.context[row * d + k] as number) - (r.context.values[j]?.[k] as number)));
    });

    const { logits: ref } = r;
    const [logits] = await fm.runner.imageLogits([{ state, target: ref.target, positions: Int32Array.from(ref.positions) }]);
    const V = fm.modality(ref.target).vocabSize;
    let logitDiff = 0;
    let argmaxSame = 0;
    ref.columns.forEach((cols, j) => {
      const row = (logits as Float32Array).subarray(j * V, (j + 1) * V);
      cols.forEach((want, c) => (logitDiff = Math.max(logitDiff, Math.abs((row[c * ref.stride] as number) - want))));
      let best = 0;
      for (let k = 1; k < V; k++) if ((row[k] as number) > (row[best] as number)) best = k;
      if (best === ref.argmax[j]) argmaxSame++;
    });
    const line = `rgb@448 vs official 4M (SR layout, float32): x ${xDiff.toExponential(2)}, pos+mod ${embDiff.toExponential(2)} (${r.rows.length} of 784 rows), context ${ctxDiff.toExponential(2)} (${r.context.rows.length} of ${r.context.total} rows), ${ref.target} logits ${logitDiff.toExponential(2)} (argmax ${argmaxSame}/${ref.positions.length})`;
    console.log(line);
    if (process.env.FOURM_PARITY_OUT) writeFileSync(process.env.FOURM_PARITY_OUT, `${line}\n`, { flag: 'a' });
    expect(xDiff).toBeLessThan(1e-4);
    expect(embDiff).toBeLessThan(1e-6);
    expect(ctxDiff).toBeLessThan(1e-4);
    expect(logitDiff).toBeLessThan(1e-4);
    expect(argmaxSame).toBe(ref.positions.length);
  }, 120_000);

  it('refuses a 224 picture for the 448 input, naming the sizes', () => {
    expect(() => normalizeRgb(hashedPicture(REF.rgb448.picture.seed, 224), 448)).toThrow(/224×224; the pixel input takes 448×448/);
  });
});
