import { expect, test } from 'vitest';
import { shortcutFor, type KeyLike } from '../../../../renderer/src/state/shortcuts';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

test('undo and redo on Ctrl and Cmd, including Ctrl+Y', () => {
  expect(shortcutFor(key('z', { ctrlKey: true }))).toEqual({ type: 'undo' });
  expect(shortcutFor(key('z', { metaKey: true }))).toEqual({ type: 'undo' });
  expect(shortcutFor(key('Z', { ctrlKey: true, shiftKey: true }))).toEqual({ type: 'redo' });
  expect(shortcutFor(key('Z', { metaKey: true, shiftKey: true }))).toEqual({ type: 'redo' });
  expect(shortcutFor(key('y', { ctrlKey: true }))).toEqual({ type: 'redo' });
  expect(shortcutFor(key('s', { ctrlKey: true }))).toEqual({ type: 'save' });
});

test('single keys pick tools and resize the brush; modified keys do not', () => {
  expect(shortcutFor(key('b'))).toEqual({ type: 'tool', tool: 'brush' });
  expect(shortcutFor(key('e'))).toEqual({ type: 'tool', tool: 'eraser' });
  expect(shortcutFor(key('g'))).toEqual({ type: 'tool', tool: 'fill' });
  expect(shortcutFor(key('r'))).toEqual({ type: 'tool', tool: 'box' });
  expect(shortcutFor(key('m'))).toEqual({ type: 'tool', tool: 'mask' });
  expect(shortcutFor(key(']'))).toMatchObject({ type: 'size' });
  expect(shortcutFor(key('0'))).toEqual({ type: 'fit-view' });
  expect(shortcutFor(key('b', { altKey: true }))).toBeNull();
  expect(shortcutFor(key('q'))).toBeNull();
});

test('Ctrl+Shift+M (or Cmd) opens the Models dialog; plain M stays the region tool', () => {
  expect(shortcutFor(key('M', { ctrlKey: true, shiftKey: true }))).toEqual({ type: 'models' });
  expect(shortcutFor(key('m', { metaKey: true, shiftKey: true }))).toEqual({ type: 'models' });
  expect(shortcutFor(key('m', { ctrlKey: true }))).toBeNull();
  expect(shortcutFor(key('m'))).toEqual({ type: 'tool', tool: 'mask' });
});
