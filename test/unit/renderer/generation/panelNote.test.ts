import { expect, test } from 'vitest';
import { noteOutlives } from '../../../../renderer/src/generation/panelNote';

test('an edit, undo or redo moves on from the panel\'s last line ("Accepted RGB (seed 1234)")', () => {
  expect(noteOutlives({ source: 'apply', recorded: true })).toBe(false);
  expect(noteOutlives({ source: 'undo', recorded: true })).toBe(false);
  expect(noteOutlives({ source: 'redo', recorded: true })).toBe(false);
});

test('a preview is no edit, and a replaced document is said by the panel itself', () => {
  expect(noteOutlives({ source: 'apply', recorded: false })).toBe(true);
  expect(noteOutlives({ source: 'replace', recorded: false })).toBe(true);
});
