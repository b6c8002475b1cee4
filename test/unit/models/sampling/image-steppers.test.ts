import { describe, expect, it } from 'vitest';
import { createRng, softmax } from '../../../../models/core';
import type { ImageLogitsQuery, ModelStep, PlannedStep } from '../../../../models/sampling';
import {
  choosePositions,
  emptyImageTarget,
  fullImageInput,
  inpaintImageTarget,
  maskgitStep,
  previewTokens,
  roarStep,
} from '../../../../models/sampling';
import { fakeModel, visibleIn } from './fake-model';

const V = 16;
const step = (over: Partial<PlannedStep> = {}): PlannedStep => ({
  target: 't',
  scheme: 'maskgit',
  numTokens: 3,
  targetStep: 0,
  targetSteps: 1,
  temperature: 1,
  topK: 0,
  topP: 0,
  guidance: { kind: 'none' },
  ...over,
});
const rngs = (seed: number) => ({ positions: createRng(seed), tokens: createRng(seed + 1000) });

describe('MaskGIT step', () => {
  it('queries every pending position and commits the most confident samples', async () => {
    const { model, log } = fakeModel(V);
    const state = { t: emptyImageTarget(10), c: fullImageInput([1, 2]) };
    const r = await maskgitStep(state, step(), { model, rngs: rngs(1) });
    expect(Array.from(log.image[0]![0]!.positions)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(r.committed).toHaveLength(3);
    const committedProbs = Array.from(r.committed, (p) => r.probs[p] as number);
    const others = Array.from(r.probs).filter((_, i) => !r.committed.includes(i));
    expect(Math.min(...committedProbs)).toBeGreaterThanOrEqual(Math.max(...others));
    const t = r.state.t!;
    for (const p of r.committed) {
      expect(t.tokens[p]).toBe(r.sampled[p]);
      expect([t.inputMask[p], t.targetMask[p]]).toEqual([0, 1]);
    }
    expect(Array.from(t.targetMask).filter((b) => b === 0)).toHaveLength(7);
    expect(state.t.targetMask.every((b) => b === 0)).toBe(true); // input state untouched
    expect(r.state.c).toBe(state.c);
    const preview = previewTokens(r, 't');
    expect(Array.from(preview)).toEqual(Array.from(r.sampled));
  });

  it('greedy probabilities: commits the positions with the sharpest logits', async () => {
    // Position p has logit 2p on token p: sharper rows for later positions.
    const model: ModelStep = {
      imageLogits: async (qs) =>
        qs.map((q) => {
          const out = new Float32Array(q.positions.length * V);
          q.positions.forEach((p, r) => (out[r * V + p] = 0.5 * p));
          return out;
        }),
      sequenceLogits: async () => [],
    };
    const r = await maskgitStep({ t: emptyImageTarget(8) }, step({ numTokens: 2 }), { model, rngs: rngs(2) });
    expect(Array.from(r.committed)).toEqual([6, 7]);
    expect(r.probs[7]).toBeCloseTo(softmax(Float32Array.from({ length: V }, (_, v) => (v === 7 ? 3.5 : 0)))[7] as number, 5);
  });

  it('refuses to commit more tokens than remain', async () => {
    const { model } = fakeModel(V);
    await expect(maskgitStep({ t: emptyImageTarget(2) }, step({ numTokens: 3 }), { model, rngs: rngs(1) })).rejects.toThrow(RangeError);
  });
});

describe('ROAR step', () => {
  it('queries only k random pending positions and commits all of them', async () => {
    const { model, log } = fakeModel(V);
    const r = await roarStep({ t: emptyImageTarget(20) }, step({ scheme: 'roar', numTokens: 5 }), { model, rngs: rngs(3) });
    const queried = Array.from(log.image[0]![0]!.positions);
    expect(queried).toHaveLength(5);
    expect(Array.from(r.committed)).toEqual(queried);
    for (const p of queried) expect(r.state.t!.tokens[p]).toBe(r.sampled[queried.indexOf(p)]);
    expect(Array.from(r.state.t!.targetMask).filter((b) => b === 1)).toHaveLength(5);
  });

  it('caps k at the remaining count', async () => {
    const { model } = fakeModel(V);
    const r = await roarStep({ t: emptyImageTarget(3) }, step({ scheme: 'roar', numTokens: 8 }), { model, rngs: rngs(3) });
    expect(r.committed).toHaveLength(3);
  });

  it('guided passes share one set of positions (chosen once)', async () => {
    const { model, log } = fakeModel(V);
    const state = { t: emptyImageTarget(30), c: fullImageInput([1, 2, 3]) };
    await roarStep(state, step({ scheme: 'roar', numTokens: 6, guidance: { kind: 'single', scale: 3, conditions: ['c'] } }), {
      model,
      rngs: rngs(4),
    });
    const batch = log.image[0]!;
    expect(batch).toHaveLength(2);
    expect(batch[0]!.positions).toBe(batch[1]!.positions);
    expect([visibleIn(batch[0]!.state, 'c'), visibleIn(batch[1]!.state, 'c')]).toEqual([3, 0]);
  });

  it('multi-guided ROAR: every pass sees the partial target with MaskGIT mask semantics', async () => {
    const { model, log } = fakeModel(V);
    let state: Record<string, ReturnType<typeof emptyImageTarget>> = { t: emptyImageTarget(12), a: fullImageInput([1]), b: fullImageInput([2]) };
    const s = step({ scheme: 'roar', numTokens: 4, guidance: { kind: 'multi', weights: [{ condition: 'a', weight: 2 }, { condition: 'b', weight: -1 }] } });
    state = { ...(await roarStep(state, s, { model, rngs: rngs(5) })).state } as typeof state;
    await roarStep(state, s, { model, rngs: rngs(6) });
    const batch = log.image[1]!;
    expect(batch).toHaveLength(3);
    for (const q of batch as ImageLogitsQuery[]) {
      expect(visibleIn(q.state, 't')).toBe(4); // decoded tokens visible to the encoder…
      expect(Array.from(q.state.t!.targetMask).filter((b) => b === 1)).toHaveLength(4); // …and no longer targets
      expect(q.positions).toBe(batch[0]!.positions);
    }
    expect(batch.map((q) => [visibleIn(q.state, 'a'), visibleIn(q.state, 'b')])).toEqual([[1, 0], [0, 1], [0, 0]]);
  });

  it('choosePositions is uniform-ish and distinct', () => {
    const rng = createRng(8);
    const pending = Int32Array.from([2, 4, 6, 8]);
    const counts = new Map<number, number>();
    for (let i = 0; i < 2000; i++) {
      const c = choosePositions(pending, 2, rng);
      expect(c[0]).toBeLessThan(c[1] as number);
      for (const p of c) counts.set(p, (counts.get(p) ?? 0) + 1);
    }
    for (const p of pending) expect(counts.get(p)).toBeGreaterThan(850);
  });
});

describe('token-level inpainting', () => {
  it.each(['maskgit', 'roar'] as const)('%s only touches masked positions', async (scheme) => {
    const { model, log } = fakeModel(V);
    const original = [11, 12, 13, 14, 15, 1, 2, 3];
    const keep = [1, 0, 1, 0, 1, 0, 1, 0];
    let state = { t: inpaintImageTarget(original, keep) };
    for (const k of [2, 2]) state = (await (scheme === 'maskgit' ? maskgitStep : roarStep)(state, step({ scheme, numTokens: k }), { model, rngs: rngs(k) })).state as typeof state;
    for (const batch of log.image) for (const q of batch) for (const p of q.positions) expect(keep[p]).toBe(0);
    original.forEach((id, p) => {
      if (keep[p] === 1) expect(state.t.tokens[p]).toBe(id);
    });
    expect(state.t.targetMask.every((b) => b === 1)).toBe(true);
  });
});

describe('expected-code token choice in a step', () => {
  it('commits the lattice point at the expected code, draws no random numbers, and checks the vocabulary', async () => {
    // Every row: half its mass on token 0, half on token 4 of a 5-level lattice → token 2.
    const model: ModelStep = {
      imageLogits: async (qs) =>
        qs.map((q) => {
          const out = new Float32Array(q.positions.length * 5).fill(-1e9);
          q.positions.forEach((_, r) => ((out[r * 5] = 0), (out[r * 5 + 4] = 0)));
          return out;
        }),
      sequenceLogits: async () => [],
    };
    const tokenRng = createRng(7);
    const r = await roarStep({ t: emptyImageTarget(4) }, step({ scheme: 'roar', numTokens: 4, codeLevels: [5] }), { model, rngs: { positions: createRng(1), tokens: tokenRng } });
    expect(Array.from(r.state.t!.tokens)).toEqual([2, 2, 2, 2]);
    expect(tokenRng.nextFloat()).toBe(createRng(7).nextFloat());
    await expect(roarStep({ t: emptyImageTarget(4) }, step({ scheme: 'roar', numTokens: 4, codeLevels: [3, 2] }), { model, rngs: rngs(1) })).rejects.toThrow(/make 6 codes, the model has 5/);
  });
});

describe('neighbour agreement in a step', () => {
  it('pulls a flat model toward the visible neighbours’ code, and is ignored under expected code', async () => {
    // A 3×3 grid of a 4-level lattice; the model has no opinion (flat logits); the 8 visible
    // neighbours of the centre all hold token 3, so the centre should nearly always become 3.
    const flat: ModelStep = { imageLogits: async (qs) => qs.map((q) => new Float32Array(q.positions.length * 4)), sequenceLogits: async () => [] };
    const grid = () => inpaintImageTarget([3, 3, 3, 3, 0, 3, 3, 3, 3], [1, 1, 1, 1, 0, 1, 1, 1, 1]);
    let threes = 0;
    for (let seed = 0; seed < 40; seed++) {
      const r = await roarStep({ t: grid() }, step({ scheme: 'roar', numTokens: 1, neighbourPrior: { levels: [4], strength: 3 } }), { model: flat, rngs: rngs(seed) });
      if (r.state.t!.tokens[4] === 3) threes++;
    }
    expect(threes).toBeGreaterThan(36);
    // Without it the flat model picks 3 a quarter of the time.
    let plain = 0;
    for (let seed = 0; seed < 40; seed++) if ((await roarStep({ t: grid() }, step({ scheme: 'roar', numTokens: 1 }), { model: flat, rngs: rngs(seed) })).state.t!.tokens[4] === 3) plain++;
    expect(plain).toBeLessThan(20);
    await expect(roarStep({ t: grid() }, step({ scheme: 'roar', numTokens: 1, neighbourPrior: { levels: [5], strength: 1 } }), { model: flat, rngs: rngs(1) })).rejects.toThrow(/make 5 codes, the model has 4/);
  });
});
