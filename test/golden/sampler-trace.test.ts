/**
 * A saved request must replay to the same tokens in later versions. This pins
 * the whole sampling path (RNG streams, filters, steppers, chain order) with a
 * deterministic fake model. If a change here is intended, regenerate the
 * fixture and say so in the commit: older saved results will no longer replay.
 */
import { describe, expect, it } from 'vitest';
import type { GenerationState, TargetSettings } from '../../models/sampling';
import { buildChainSchedule, emptyImageTarget, emptySequenceTarget, fullSequenceInput, inpaintImageTarget, runChain } from '../../models/sampling';
import { fakeModel, VOCAB } from '../unit/models/sampling/fake-model';
import golden from './sampler-trace.json';

const settings = (modality: string, over: Partial<TargetSettings>): TargetSettings => ({
  modality,
  scheme: 'roar',
  steps: 4,
  tokenSchedule: 'linear',
  temperature: 1,
  temperatureSchedule: 'constant',
  cfgScale: 2,
  topK: 0,
  topP: 0.8,
  ...over,
});

async function run(): Promise<Record<string, number[]>> {
  const initial: GenerationState = {
    caption: fullSequenceInput([20, 21, 103], VOCAB),
    clip: emptyImageTarget(12),
    rgb: inpaintImageTarget(Array.from({ length: 12 }, (_, i) => 60 + i), [1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 1]),
    det: emptySequenceTarget(10, VOCAB),
  };
  const targets = [
    settings('clip', { temperature: 3, temperatureSchedule: 'onex:0.5:0.5' }),
    settings('rgb', { scheme: 'maskgit', steps: 3, tokenSchedule: 'cosine', topK: 0.25, topP: 0, cfgConditionWeights: { caption: 1.5, clip: -0.5 } }),
    settings('det', { scheme: 'autoregressive', temperature: 0.7 }),
  ];
  const schedule = buildChainSchedule({ conditions: ['caption'], targets, tokensPerTarget: { clip: 12, rgb: 6 }, cfgGrowConditioning: true });
  const { model } = fakeModel(64);
  const final = await runChain(initial, schedule, { model, seed: 20261126, vocab: VOCAB, maxTokens: { det: 8 } });
  return Object.fromEntries(Object.entries(final).map(([name, m]) => [name, Array.from(m.tokens)]));
}

describe('sampler golden trace', () => {
  it('replays the pinned tokens', async () => {
    expect(await run()).toEqual(golden);
  });
});
