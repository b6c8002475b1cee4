import { describe, expect, it } from 'vitest';
import { BatchingModelStep } from '../../../../models/engine/generate/batching-step';
import type { ImageLogitsQuery, ModelStep } from '../../../../models/sampling';

function recordingModel() {
  const calls: number[] = [];
  const model: ModelStep = {
    async imageLogits(queries) {
      calls.push(queries.length);
      return queries.map((q) => Float32Array.of(q.positions[0] ?? -1));
    },
    async sequenceLogits(queries) {
      return queries.map(() => Float32Array.of(42));
    },
  };
  return { model, calls };
}

const q = (p: number): ImageLogitsQuery => ({ state: {}, target: 'rgb', positions: Int32Array.of(p) });

describe('BatchingModelStep', () => {
  it('waits for every running party, makes one model call, and hands each its own logits', async () => {
    const { model, calls } = recordingModel();
    const step = new BatchingModelStep(model, 3);
    const a = step.imageLogits([q(1), q(2)]);
    const b = step.imageLogits([q(3)]);
    expect(calls).toEqual([]); // one party has not asked yet
    const c = step.imageLogits([q(4)]);
    const [ra, rb, rc] = await Promise.all([a, b, c]);
    expect(calls).toEqual([4]);
    expect(ra?.map((x) => x[0])).toEqual([1, 2]);
    expect(rb?.map((x) => x[0])).toEqual([3]);
    expect(rc?.map((x) => x[0])).toEqual([4]);
  });

  it('stops waiting for a party that left; sequence calls pass straight through', async () => {
    const { model, calls } = recordingModel();
    const step = new BatchingModelStep(model, 2);
    expect((await step.sequenceLogits([{ state: {}, target: 'caption', prefix: Int32Array.of(1) }]))[0]?.[0]).toBe(42);
    const a = step.imageLogits([q(5)]);
    step.leave();
    expect((await a)[0]?.[0]).toBe(5);
    expect(calls).toEqual([1]);
  });

  it('a failed model call fails every waiting party', async () => {
    const failing: ModelStep = {
      imageLogits: () => Promise.reject(new Error('session died')),
      sequenceLogits: () => Promise.reject(new Error('unused')),
    };
    const step = new BatchingModelStep(failing, 2);
    const runs = [step.imageLogits([q(1)]), step.imageLogits([q(2)])];
    for (const r of runs) await expect(r).rejects.toThrow(/session died/);
  });
});
