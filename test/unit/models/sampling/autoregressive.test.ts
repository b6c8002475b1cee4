import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../models/core';
import type { PlannedStep } from '../../../../models/sampling';
import { autoregressiveStep, customTextTarget, emptySequenceTarget, fullImageInput, mergeSpans } from '../../../../models/sampling';
import { fakeModel, VOCAB, visibleIn } from './fake-model';

const V = 128;
const S1 = 105;
const S2 = 106;
const EOS = 103;
const step = (over: Partial<PlannedStep> = {}): PlannedStep => ({
  target: 'cap',
  scheme: 'autoregressive',
  numTokens: null,
  targetStep: 0,
  targetSteps: 1,
  temperature: 0,
  topK: 0,
  topP: 0,
  guidance: { kind: 'none' },
  ...over,
});

describe('autoregressive step', () => {
  it('starts at [S_1], stops at the stop token ([S_2] for an empty init), merges back', async () => {
    const { model, log } = fakeModel(V, [7, 8, EOS, S2, 9, 9]);
    const r = await autoregressiveStep({ cap: emptySequenceTarget(10, VOCAB) }, step(), { model, rng: createRng(1), vocab: VOCAB });
    expect(r.stopped).toBe(true);
    expect(Array.from(r.generated)).toEqual([S1, 7, 8, EOS, S2]);
    expect(log.sequence.map((b) => Array.from(b[0]!.prefix))).toEqual([[S1], [S1, 7], [S1, 7, 8], [S1, 7, 8, EOS]]);
    const cap = r.state.cap!;
    expect(Array.from(cap.tokens)).toEqual([7, 8, EOS]);
    expect(Array.from(cap.inputMask)).toEqual([0, 0, 0]);
    expect(Array.from(cap.targetMask)).toEqual([1, 1, 1]);
  });

  it('uses [EOS] as the stop token for custom text and fills the [S_1] span', async () => {
    const { model } = fakeModel(V, [40, 41, EOS, 9]);
    const state = { cap: customTextTarget([20, 21, S1], VOCAB, 8) };
    const r = await autoregressiveStep(state, step(), { model, rng: createRng(1), vocab: VOCAB });
    expect(Array.from(r.generated)).toEqual([S1, 40, 41, EOS]);
    expect(Array.from(r.state.cap!.tokens)).toEqual([20, 21, 40, 41, EOS]);
  });

  it('stops at the length cap', async () => {
    const { model } = fakeModel(V, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const r = await autoregressiveStep({ cap: emptySequenceTarget(20, VOCAB) }, step(), { model, rng: createRng(1), vocab: VOCAB, maxTokens: 4 });
    expect(r.stopped).toBe(false);
    expect(Array.from(r.generated)).toEqual([S1, 1, 2, 3, 4]);
  });

  it('guided: cond and uncond passes per token, same prefix, condition emptied', async () => {
    const { model, log } = fakeModel(V, [5, S2]);
    const state = { cap: emptySequenceTarget(6, VOCAB), img: fullImageInput([1, 2, 3, 4]) };
    await autoregressiveStep(state, step({ guidance: { kind: 'single', scale: 3, conditions: ['img'] } }), { model, rng: createRng(1), vocab: VOCAB });
    expect(log.sequence).toHaveLength(2);
    for (const batch of log.sequence) {
      expect(batch).toHaveLength(2);
      expect(batch[0]!.prefix).toBe(batch[1]!.prefix);
      expect([visibleIn(batch[0]!.state, 'img'), visibleIn(batch[1]!.state, 'img')]).toEqual([4, 0]);
    }
  });

  it('honours cancellation between tokens', async () => {
    const { model } = fakeModel(V, [1, 2, 3, 4]);
    const ctrl = new AbortController();
    const p = autoregressiveStep({ cap: emptySequenceTarget(20, VOCAB) }, step(), {
      model,
      rng: createRng(1),
      vocab: VOCAB,
      signal: ctrl.signal,
      onToken: (_prefix, index) => {
        if (index === 2) ctrl.abort();
      },
    });
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('mergeSpans', () => {
  it('replaces each sentinel by the span after the same sentinel in the output', () => {
    const out = mergeSpans([20, S1, 21, S2], [S1, 30, 31, S2, 32, 107], VOCAB);
    expect(Array.from(out)).toEqual([20, 30, 31, 21, 32]);
  });

  it('drops sentinels without a span', () => {
    expect(Array.from(mergeSpans([20, S1], [EOS], VOCAB))).toEqual([20]);
  });
});
