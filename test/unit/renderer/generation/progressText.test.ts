import { expect, test } from 'vitest';
import { stepText } from '../../../../renderer/src/generation/progressText';

test('progress reads "starting…" until the first step report, then step n/total', () => {
  expect(stepText({ done: 0, total: 0 })).toBe('starting…');
  expect(stepText({ done: 0, total: 16 })).toBe('step 0/16');
  expect(stepText({ done: 7, total: 8 })).toBe('step 7/8');
});
