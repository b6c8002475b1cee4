import { describe, expect, it } from 'vitest';
import { validateGenerationRequest } from '../../../../preload/contract/generation';
import { PICTURE_SAMPLING } from '../../../../preload/contract/sampling-defaults';
import { evalRequest, oneStepGreedy, pictureFrom, sequenceGreedy, tokensInput } from '../../../../models/eval/tasks';

describe('evaluation task settings (the recipe evaluation\'s)', () => {
  it('one-step RGB→X is greedy ROAR in 1 step without guidance or filtering', () => {
    expect(oneStepGreedy('tok_semseg@128')).toMatchObject({ scheme: 'roar', steps: 1, temperature: 0, cfgScale: 1, topK: 0, topP: 0 });
  });

  it('X→RGB uses the app\'s own default for the source, so the evaluation measures what users get', () => {
    expect(pictureFrom('tok_rgb@128', 'layout')).toEqual({ modality: 'tok_rgb@128', ...PICTURE_SAMPLING.layout });
    expect(pictureFrom('tok_rgb@128', 'words')).toEqual({ modality: 'tok_rgb@128', ...PICTURE_SAMPLING.words });
  });

  it('a sweep overrides single fields and keeps the rest of the default', () => {
    expect(pictureFrom('tok_rgb@128', 'layout', { steps: 16, scheme: 'roar' })).toEqual({ modality: 'tok_rgb@128', ...PICTURE_SAMPLING.layout, steps: 16, scheme: 'roar' });
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
