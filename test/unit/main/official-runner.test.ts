import { expect, test } from 'vitest';
import { StepCount } from '../../../main/inference/host/official-runner';

test('progress over a chain of targets: earlier targets count in full, the current one by the sampler', () => {
  const steps = new StepCount([{ modality: 'a', steps: 8 }, { modality: 'caption', steps: 256 }]);
  expect(steps.at('a', 1, 8)).toEqual([1, 264]);
  expect(steps.at('a', 8, 8)).toEqual([8, 264]);
  // An autoregressive caption reports its own cap; an early [EOS] ends the job before the total.
  expect(steps.at('caption', 3, 40)).toEqual([11, 48]);
  expect(steps.at('unknown', 2, 4)).toEqual([2, 264]);
});
