/**
 * Parity of the official FM's rgb@224 pixel input with the official code. test/fixtures/official-fm-rgb
 * holds what the official FM (github.com/apple/ml-4m, run by
 * models/recipe/fourm_recipe/official/fm_pixel_fixture.py on the official-fm fixture's weights)
 * computed for a hashed 224 × 224 picture: the patch projection x and position + modality rows of
 * `encoder_embeddings["rgb@224"]`, the encoder context of {caption, rgb@224}, and tok_semseg@224
 * logits through its ROAR forward. The engine normalises the same uint8 picture itself.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOfficialFm, type OfficialFm } from '../../../../../models/engine/fm/official-fm';
import { normalizeRgb, projectPatches } from '../../../../../models/engine/fm/pixel-input';
import { fullImageInput, fullSequenceInput, type GenerationState } from '../../../../../models/sampling';
import { hashedPicture, writeOfficialCheckpoint } from './official-fixture';

const DIR = join(__dirname, '../../../../fixtures/official-fm-rgb');
interface Reference {
  picture: { seed: string; height: number; width: number };
  rows: number[];
  x: number[][];
  emb: number[][];
  caption: number[];
  context: { file: string; rows: number; dim: number };
  semseg: { target: string; positions: number[]; argmax: number[]; stride: number; columns: number[][] };
}
const REF = JSON.parse(readFileSync(join(DIR, 'reference.json'), 'utf8')) as Reference;
const CONTEXT = new Float32Array(readFileSync(join(DIR, REF.context.file)).buffer.slice(0));

describe('the official FM rgb@224 pixel input against the official code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'official-fm-rgb-'));
  let fm: OfficialFm;
  beforeAll(async () => {
    writeOfficialCheckpoint(dir);
    fm = await openOfficialFm(dir, { providers: ['cpu'], intraOpThreads: 1 });
  }, 300_000);
  afterAll(async () => {
    await fm?.release();
    rmSync(dir, { recursive: true, force: true });
  });

  it('patch projection, position + modality rows, context and semseg logits match', async () => {
    const input = fm.pixelInputs.get('rgb@224');
    if (!input) throw new Error('no rgb@224 pixel input');
    expect(input).toMatchObject({ size: 224, grid: [14, 14], patch: 16, channels: 3, dim: 64 });
    const chw = normalizeRgb(hashedPicture(), 224);
    const x = projectPatches(input, chw);
    const d = input.dim;
    let xDiff = 0;
    let embDiff = 0;
    REF.rows.forEach((r, j) => {
      for (let k = 0; k < d; k++) {
        xDiff = Math.max(xDiff, Math.abs((x[r * d + k] as number) - (REF.x[j]?.[k] as number)));
        embDiff = Math.max(embDiff, Math.abs((input.pos[r * d + k] as number) + (input.mod[k] as number) - (REF.emb[j]?.[k] as number)));
      }
    });
    const cells = fm.setPicture('rgb@224', chw);
    const state: GenerationState = { caption: fullSequenceInput(Int32Array.from(REF.caption.slice(0, -1)), fm.vocab), 'rgb@224': fullImageInput(cells) };
    const enc = await fm.runner.encode([state]);
    let ctxDiff = 0;
    for (let i = 0; i < REF.context.rows * REF.context.dim; i++) ctxDiff = Math.max(ctxDiff, Math.abs((enc.context[i] as number) - (CONTEXT[i] as number)));
    const { semseg } = REF;
    const [logits] = await fm.runner.imageLogits([{ state, target: semseg.target, positions: Int32Array.from(semseg.positions) }]);
    const V = fm.modality(semseg.target).vocabSize;
    let logitDiff = 0;
    let argmaxSame = 0;
    semseg.columns.forEach((cols, r) => {
      const row = (logits as Float32Array).subarray(r * V, (r + 1) * V);
      cols.forEach((want, j) => (logitDiff = Math.max(logitDiff, Math.abs((row[j * semseg.stride] as number) - want))));
      let best = 0;
      for (let k = 1; k < V; k++) if ((row[k] as number) > (row[best] as number)) best = k;
      if (best === semseg.argmax[r]) argmaxSame++;
    });
    console.log(`rgb@224 vs official 4M: x ${xDiff.toExponential(2)}, pos+mod ${embDiff.toExponential(2)}, context ${ctxDiff.toExponential(2)} (${REF.context.rows} rows), tok_semseg@224 logits ${logitDiff.toExponential(2)} (argmax ${argmaxSame}/${semseg.positions.length})`);
    expect(xDiff).toBeLessThan(1e-4);
    expect(embDiff).toBeLessThan(1e-6);
    expect(enc.context.length).toBeGreaterThanOrEqual(REF.context.rows * REF.context.dim);
    expect(ctxDiff).toBeLessThan(1e-4);
    expect(logitDiff).toBeLessThan(1e-4);
    expect(argmaxSame).toBe(semseg.positions.length);
  }, 120_000);

  it('refuses a picture of the wrong size and a pixel input the model lacks', () => {
    expect(() => normalizeRgb(hashedPicture(REF.picture.seed, 32), 224)).toThrow(/32×32; the pixel input takes 224×224/);
    expect(() => fm.setPicture('rgb@448', new Float32Array(3))).toThrow(/"rgb@448" is not a pixel input of this model \(it has rgb@224\)/);
  });
});
