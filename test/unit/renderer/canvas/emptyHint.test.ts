import { expect, test } from 'vitest';
import { emptyHint, showsEmptyHint } from '../../../../renderer/src/canvas/emptyHint';

test('an empty sketch (a condition) says how to paint it, not to set it to generate', () => {
  const hint = emptyHint('Segmentation', 'segmentation', 'condition');
  expect(hint).toMatch(/^Segmentation is empty: pick a class above, then fill \(G\) or paint \(B\) it/);
  expect(hint).not.toMatch(/generate and press/);
});

test('a layer to be generated waits for Generate; a picture condition is painted or imported', () => {
  expect(emptyHint('RGB', 'image', 'generate')).toBe('RGB is empty: press Generate to make it.');
  expect(emptyHint('RGB', 'image', 'condition')).toMatch(/paint it or import a picture/);
});

test('an ignored layer points at the task presets first', () => {
  expect(emptyHint('RGB', 'image', 'ignore')).toBe('RGB is empty: pick a task above, paint it, or import a picture.');
  expect(emptyHint('Segmentation', 'segmentation', 'ignore')).toMatch(/pick a task above/);
});

test('the note steps aside while the artist works on another layer drawn over the empty view', () => {
  const rgb = { id: 'rgb', sync: 'empty' as const };
  expect(showsEmptyHint(rgb, rgb, false)).toBe(true);
  expect(showsEmptyHint(rgb, undefined, false)).toBe(true);
  expect(showsEmptyHint(rgb, { id: 'det', sync: 'empty' }, false)).toBe(true);
  expect(showsEmptyHint(rgb, { id: 'det', sync: 'in-sync' }, false)).toBe(false);
  expect(showsEmptyHint(rgb, rgb, true)).toBe(false);
  expect(showsEmptyHint({ id: 'rgb', sync: 'stale' }, rgb, false)).toBe(false);
});
