import { describe, expect, it } from 'vitest';
import { validateGenerationRequest } from '../../../../preload/contract/generation';
import { evalRequest, oneStepGreedy, roarGuided, sequenceGreedy, tokensInput } from '../../../../models/eval/tasks';

describe('evaluation task settings (the recipe evaluation\'s)', () => {
  it('one-step RGB→X is greedy ROAR in 1 step without guidance or filtering', () => {
    expect(oneStepGreedy('tok_semseg@128')).toMatchObject({ scheme: 'roar', steps: 1, temperature: 0, cfgScale: 1, topK: 0, topP: 0 });
  });

  it('X→RGB is ROAR, 8 linear steps, constant temperature 0.7, guidance 2', () => {
    expect(roarGuided('tok_rgb@128')).toMatchObject({ scheme: 'roar', steps: 8, tokenSchedule: 'linear', temperature: 0.7, temperatureSchedule: 'constant', cfgScale: 2, topK: 0, topP: 0 });
  });

  it('captions are greedy autoregressive without guidance', () => {
    expect(sequenceGreedy('caption')).toMatchObject({ scheme: 'autoregressive', temperature: 0, cfgScale: 1 });
  });

  it('builds valid one-target requests with the scene seed', () => {
    const req = evalRequest('world-4m-small', { 'tok_rgb@128': tokensInput(new Int32Array(256).fill(3)) }, oneStepGreedy('tok_depth@128'), 4);
    const checked = validateGenerationRequest(req);
    expect(checked.ok).toBe(true);
    expect(req.targets).toHaveLength(1);
    expect(req.seed).toBe(4);
  });
});
