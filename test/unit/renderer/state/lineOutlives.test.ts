import { expect, test } from 'vitest';
import { lineOutlives } from '../../../../renderer/src/state/lineOutlives';

test('an edit, undo, redo or another document moves on from the status line ("Undone: Erase", "Imported beach.png …")', () => {
  expect(lineOutlives({ source: 'apply', recorded: true })).toBe(false);
  expect(lineOutlives({ source: 'undo', recorded: true })).toBe(false);
  expect(lineOutlives({ source: 'redo', recorded: true })).toBe(false);
  expect(lineOutlives({ source: 'replace', recorded: false })).toBe(false);
});

test('a step preview is no edit: the line stays', () => {
  expect(lineOutlives({ source: 'apply', recorded: false })).toBe(true);
});
