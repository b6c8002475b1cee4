import { expect, test } from 'vitest';
import { stepText } from '../../../../renderer/src/generation/progressText';

test('progress reads "starting…" until the first step report, then step n/total', () => {
  expect(stepText({ done: 0, total: 0 })).toBe('starting…');
  expect(stepText({ done: 0, total: 16 })).toBe('step 0/16');
  expect(stepText({ done: 7, total: 8 })).toBe('step 7/8');
});

test('variations made side by side are counted beside the steps', () => {
  expect(stepText({ done: 8, total: 16, variations: 4 })).toBe('step 8/16 · 4 variations');
  expect(stepText({ done: 0, total: 0, variations: 2 })).toBe('starting… · 2 variations');
  expect(stepText({ done: 3, total: 16, variations: 1 })).toBe('step 3/16');
});
