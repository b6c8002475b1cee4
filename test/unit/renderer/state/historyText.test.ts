import { expect, test } from 'vitest';
import { historyButtonTitle, historyStatus, lockChangeLabel, roleChangeLabel } from '../../../../renderer/src/state/historyText';

test('undo and redo name the step they take, or say there is none', () => {
  expect(historyButtonTitle('undo', 'Erase')).toBe('Undo Erase (Ctrl+Z)');
  expect(historyButtonTitle('redo', 'Erase')).toBe('Redo Erase (Shift+Ctrl+Z / Ctrl+Y)');
  expect(historyButtonTitle('undo', undefined)).toBe('Nothing to undo (Ctrl+Z)');
  expect(historyButtonTitle('redo', '')).toBe('Nothing to redo (Shift+Ctrl+Z / Ctrl+Y)');
  expect(historyStatus('undo', 'Set Segmentation to condition')).toBe('Undone: Set Segmentation to condition');
  expect(historyStatus('redo', 'Paint')).toBe('Redone: Paint');
  expect(historyStatus('undo', undefined)).toBe('Nothing to undo');
});

test('a step that changed a layer under a staged result says so (the canvas shows the result, not the change)', () => {
  expect(historyStatus('undo', 'Generate', ['RGB'])).toBe('Undone: Generate · RGB changed under the waiting result (Discard to see it)');
  expect(historyStatus('redo', 'Generate', ['RGB', 'Depth'])).toBe('Redone: Generate · RGB, Depth changed under the waiting result (Discard to see them)');
  expect(historyStatus('undo', undefined, ['RGB'])).toBe('Nothing to undo');
});

test('layer settings are named in history by layer and value', () => {
  expect(roleChangeLabel('Segmentation', 'condition')).toBe('Set Segmentation to condition');
  expect(roleChangeLabel('Depth', 'ignore')).toBe('Set Depth to ignore');
  expect(lockChangeLabel('Depth', true)).toBe('Lock Depth');
  expect(lockChangeLabel('Depth', false)).toBe('Unlock Depth');
});
