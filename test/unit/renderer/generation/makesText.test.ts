import { expect, test } from 'vitest';
import { makesText } from '../../../../renderer/src/generation/makesText';

const label = (id: string) => ({ 'tok_rgb@128': 'RGB', 'tok_semseg@128': 'Semantic segmentation' })[id] ?? id;

test('the targets in chain order', () => {
  expect(makesText(['tok_semseg@128', 'tok_rgb@128'], label)).toBe('Makes: Semantic segmentation → RGB');
});

test('nothing to make yet is said as a state; how to start is the prompt bar\'s line, not repeated here', () => {
  expect(makesText([], label)).toBe('Makes: nothing yet (no layer is set to generate)');
  expect(makesText([], label)).not.toMatch(/Pick a task/);
});
