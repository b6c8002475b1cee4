import { beforeAll, describe, expect, it } from 'vitest';
import { warmUp, type EngineModel } from '../../../../models/engine/generate';
import { lengthGroups } from '../../../../models/engine/fm/fm-runner';
import { gatherEncoderBatch } from '../../../../models/engine/fm/encoder-inputs';
import { emptyImageTarget, emptySequenceTarget, fullImageInput, fullSequenceInput, sentinel, type GenerationState } from '../../../../models/sampling';
import { sharedModel, tokenGrid } from './model-fixture';

let model: EngineModel;
beforeAll(async () => {
  model = await sharedModel();
}, 60_000);

const positions = Int32Array.from({ length: 16 }, (_, i) => i * 16);

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

describe('FmRunner on the real graphs', () => {
  it('gives the same logits for a pass batched with others as alone (cond + uncond as B = 2)', async () => {
    const cond: GenerationState = { 'tok_semseg@128': fullImageInput(tokenGrid(1000)), 'tok_rgb@128': emptyImageTarget(256) };
    const caption = fullSequenceInput(model.text.encode('a red sphere'), model.vocab);
    const other: GenerationState = { ...cond, caption };
    const q = (state: GenerationState) => ({ state, target: 'tok_rgb@128', positions });
    const [a, b] = await model.runner.imageLogits([q(cond), q(other)]);
    const [alone] = await model.runner.imageLogits([q(cond)]);
    expect(a).toHaveLength(16 * 6000);
    expect(maxAbsDiff(a as Float32Array, alone as Float32Array)).toBeLessThan(1e-4);
    // A different condition does change the logits.
    expect(maxAbsDiff(a as Float32Array, b as Float32Array)).toBeGreaterThan(1e-3);
  }, 30_000);

  it('handles an empty encoder (unconditional pass of an image-only condition) without NaNs, alone and batched', async () => {
    const empty: GenerationState = { 'tok_semseg@128': { ...fullImageInput(tokenGrid(1000)), inputMask: new Uint8Array(256).fill(1) }, 'tok_rgb@128': emptyImageTarget(256) };
    const cond: GenerationState = { 'tok_semseg@128': fullImageInput(tokenGrid(1000)), 'tok_rgb@128': emptyImageTarget(256) };
    const q = (state: GenerationState) => ({ state, target: 'tok_rgb@128', positions });
    const [alone] = await model.runner.imageLogits([q(empty)]);
    const [, batched] = await model.runner.imageLogits([q(cond), q(empty)]);
    expect((alone as Float32Array).every(Number.isFinite)).toBe(true);
    expect(maxAbsDiff(alone as Float32Array, batched as Float32Array)).toBeLessThan(1e-4);
  }, 30_000);

  it('sequence logits depend only on the prefix before them (causal mask honoured)', async () => {
    const state: GenerationState = { 'tok_rgb@128': fullImageInput(tokenGrid(6000)), caption: emptySequenceTarget(72, model.vocab) };
    const s1 = sentinel(model.vocab, 1);
    const [short] = await model.runner.sequenceLogits([{ state, target: 'caption', prefix: Int32Array.of(s1) }]);
    const [long] = await model.runner.sequenceLogits([{ state, target: 'caption', prefix: Int32Array.of(s1, 100, 200) }]);
    expect(short).toHaveLength(1255);
    expect(maxAbsDiff(short as Float32Array, long as Float32Array)).toBeGreaterThan(1e-4);
  }, 30_000);

  it('gathers sequence positions as the index among visible tokens, images by grid cell', () => {
    const caption = fullSequenceInput(Int32Array.of(50, 60, 70), model.vocab);
    caption.inputMask[1] = 1; // hide the middle token: the next one takes position 1
    const state: GenerationState = { caption, 'tok_rgb@128': fullImageInput(tokenGrid(6000)) };
    const g = gatherEncoderBatch([state], model.runner.embeddings);
    expect(g.tokens).toBe(3 + 256); // 50, 70, [EOS] + the grid
    const t = model.runner.embeddings.modalities.get('caption');
    const d = model.runner.embeddings.dim;
    if (!t) throw new Error('no caption tables');
    // Row 1 is token 70 at visible position 1.
    expect(g.emb[d + 5]).toBeCloseTo((t.encPos[d + 5] as number) + (t.encMod[5] as number), 6);
    expect(g.x[d + 5]).toBeCloseTo(t.encTokens[70 * d + 5] as number, 6);
    expect(Array.from(g.pad.subarray(0, 4))).toEqual([0, 0, 0, 0]);
  });

  it('warms up every head and tokenizer decoder the package lists', async () => {
    await warmUp(model);
    const heads = await Promise.all(Object.values(model.manifest.fm.heads).map((f) => model.graph(f)));
    expect(heads.every((h) => h.timing.calls > 0)).toBe(true);
  }, 60_000);

  it('batches encoder rows only while padding wastes under a quarter', () => {
    expect(lengthGroups(Int32Array.of(256, 0))).toEqual([[0]]);
    expect(lengthGroups(Int32Array.of(300, 280, 32))).toEqual([[0, 1], [2]]);
    expect(lengthGroups(Int32Array.of(0, 0))).toEqual([]);
  });
});
