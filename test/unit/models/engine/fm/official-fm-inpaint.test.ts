/**
 * Parity of masked regeneration (4M's token-level inpainting) on an official FM with the official code.
 * test/fixtures/official-fm-inpaint holds what the official FM (github.com/apple/ml-4m, run by
 * models/recipe/fourm_recipe/official/inpaint_fixture.py on the official-fm fixture's weights) computed
 * for tok_rgb@224 given as a target with some tokens kept (input_mask False / target_mask True there,
 * the reverse at the masked positions) beside a caption: the logits of one MaskGIT step at every masked
 * position, and the MaskGIT / ROAR token schedules over the masked count. The engine runs the same
 * request through generateOfficial (the editor's and the CLI's path) and its logits are read off the
 * FM runner as the sampler asks for them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationRequest, TargetRequest } from '../../../../../preload/contract/generation';
import { openOfficialFm, type OfficialFm } from '../../../../../models/engine/fm/official-fm';
import { generateOfficial, type OfficialModel, type OfficialTokenizer } from '../../../../../models/engine/generate/official-model';
import type { ImageLogitsQuery } from '../../../../../models/sampling';
import { writeOfficialCheckpoint } from './official-fixture';

const DIR = join(__dirname, '../../../../fixtures/official-fm-inpaint');
interface Reference {
  target: string;
  caption: number[];
  tokens: number[];
  keep: (0 | 1)[];
  positions: number[];
  logits: { argmax: number[]; gap: number[]; stride: number; columns: number[][] };
  schedules: { steps: number; maskgit_cosine: number[]; roar: number[] };
}
const REF = JSON.parse(readFileSync(join(DIR, 'reference.json'), 'utf8')) as Reference;

describe('masked regeneration on an official FM against the official code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'official-fm-inpaint-'));
  let fm: OfficialFm;
  let model: OfficialModel;
  const calls: { queries: readonly ImageLogitsQuery[]; logits: Float32Array[] }[] = [];
  beforeAll(async () => {
    writeOfficialCheckpoint(dir);
    fm = await openOfficialFm(dir, { providers: ['cpu'], intraOpThreads: 1 });
    // Records what the sampler asks the FM and what it answers.
    const imageLogits = fm.runner.imageLogits.bind(fm.runner);
    fm.runner.imageLogits = async (queries) => {
      const logits = await imageLogits(queries);
      calls.push({ queries, logits });
      return logits;
    };
    // Tokens only (skipDecode): the tokenizer is never called, only looked up.
    model = { dir, fm, tokenizers: new Map([[REF.target, {} as OfficialTokenizer]]), text: undefined, release: () => fm.release() };
  }, 300_000);
  afterAll(async () => {
    await fm?.release();
    rmSync(dir, { recursive: true, force: true });
  });

  const request = (target: Partial<TargetRequest>): GenerationRequest => ({
    version: 1, modelId: 'parity', seed: 3, cfgGrowConditioning: true,
    inputs: {
      caption: { kind: 'sequence-tokens', tokens: REF.caption.slice(0, -1) },
      [REF.target]: { kind: 'image-tokens', tokens: REF.tokens, keepMask: REF.keep },
    },
    targets: [{ modality: REF.target, scheme: 'maskgit', steps: REF.schedules.steps, tokenSchedule: 'cosine', temperature: 1, temperatureSchedule: 'constant', cfgScale: 1, topK: 0, topP: 0, ...target }],
  });

  /** Runs a request; the tokens each step fills in, and the final tokens. */
  const run = async (req: GenerationRequest): Promise<{ perStep: number[]; tokens: Int32Array }> => {
    const perStep: number[] = [];
    let done = REF.keep.filter((k) => k === 1).length;
    const res = await generateOfficial(model, req, {
      skipDecode: [REF.target],
      onStep: (e) => {
        const now = e.snapshot.targetMask.reduce((n, v) => n + v, 0);
        perStep.push(now - done);
        done = now;
      },
    });
    return { perStep, tokens: res.outputs[REF.target]?.tokens ?? new Int32Array() };
  };

  it('one MaskGIT step: the logits at the masked positions match the official FM', async () => {
    calls.length = 0;
    const { perStep, tokens } = await run(request({}));
    const first = calls[0];
    if (!first) throw new Error('the sampler asked the FM for no logits');
    expect(first.queries).toHaveLength(1);
    expect(Array.from(first.queries[0]?.positions ?? [])).toEqual(REF.positions);
    const V = fm.modality(REF.target).vocabSize;
    const logits = first.logits[0] as Float32Array;
    expect(logits.length).toBe(REF.positions.length * V);
    let diff = 0;
    let argmaxSame = 0;
    let compared = 0;
    REF.logits.columns.forEach((cols, r) => {
      const row = logits.subarray(r * V, (r + 1) * V);
      cols.forEach((want, j) => {
        diff = Math.max(diff, Math.abs((row[j * REF.logits.stride] as number) - want));
        compared++;
      });
      let best = 0;
      for (let k = 1; k < V; k++) if ((row[k] as number) > (row[best] as number)) best = k;
      if (best === REF.logits.argmax[r]) argmaxSame++;
    });
    console.log(`masked regeneration vs official 4M: ${REF.target} logits at ${REF.positions.length} masked positions, max |diff| ${diff.toExponential(2)} over ${compared} values, argmax ${argmaxSame}/${REF.positions.length}; MaskGIT steps fill ${perStep.join(', ')} (official ${REF.schedules.maskgit_cosine.join(', ')})`);
    expect(diff).toBeLessThan(1e-4);
    expect(argmaxSame).toBe(REF.positions.length);
    // The schedule counts only the masked tokens, as the official one built over the masked count.
    expect(perStep).toEqual(REF.schedules.maskgit_cosine);
    // Kept tokens come back as they went in; every masked one was generated.
    REF.keep.forEach((k, i) => {
      if (k === 1) expect(tokens[i]).toBe(REF.tokens[i]);
      else expect(tokens[i]).toBeLessThan(V);
    });
  }, 180_000);

  it('ROAR over the masked tokens only, as the official schedule', async () => {
    const { perStep } = await run(request({ scheme: 'roar', tokenSchedule: 'linear' }));
    expect(perStep).toEqual(REF.schedules.roar);
  }, 180_000);
});
