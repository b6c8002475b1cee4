import { expect, test } from 'vitest';
import { SHORTCUT_LIST, shortcutFor, type KeyLike } from '../../../../renderer/src/state/shortcuts';
import { TOOLS } from '../../../../renderer/src/tools/toolIds';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

test('undo and redo on Ctrl and Cmd, including Ctrl+Y', () => {
  expect(shortcutFor(key('z', { ctrlKey: true }))).toEqual({ type: 'undo' });
  expect(shortcutFor(key('z', { metaKey: true }))).toEqual({ type: 'undo' });
  expect(shortcutFor(key('Z', { ctrlKey: true, shiftKey: true }))).toEqual({ type: 'redo' });
  expect(shortcutFor(key('Z', { metaKey: true, shiftKey: true }))).toEqual({ type: 'redo' });
  expect(shortcutFor(key('y', { ctrlKey: true }))).toEqual({ type: 'redo' });
  expect(shortcutFor(key('s', { ctrlKey: true }))).toEqual({ type: 'save' });
});

test('Ctrl+N (or Cmd+N) is New: the app menu leaves it to the editor, which had no binding for it', () => {
  expect(shortcutFor(key('n', { ctrlKey: true }))).toEqual({ type: 'new' });
  expect(shortcutFor(key('n', { metaKey: true }))).toEqual({ type: 'new' });
  expect(shortcutFor(key('N', { ctrlKey: true, shiftKey: true }))).toBeNull();
  // Plain N is the object brush's next object (below).
  expect(shortcutFor(key('n'))).toEqual({ type: 'new-object' });
  expect(SHORTCUT_LIST.flatMap((g) => g.keys.map((k) => k.keys))).toContain('Ctrl+N');
});

test('single keys pick tools and resize the brush; modified keys do not', () => {
  expect(shortcutFor(key('b'))).toEqual({ type: 'tool', tool: 'brush' });
  expect(shortcutFor(key('e'))).toEqual({ type: 'tool', tool: 'eraser' });
  expect(shortcutFor(key('g'))).toEqual({ type: 'tool', tool: 'fill' });
  expect(shortcutFor(key('r'))).toEqual({ type: 'tool', tool: 'box' });
  expect(shortcutFor(key('m'))).toEqual({ type: 'tool', tool: 'mask' });
  expect(shortcutFor(key(']'))).toMatchObject({ type: 'size' });
  expect(shortcutFor(key('0'))).toEqual({ type: 'fit-view' });
  expect(shortcutFor(key('1'))).toEqual({ type: 'actual-size' });
  expect(shortcutFor(key('+', { shiftKey: true }))).toEqual({ type: 'zoom', factor: 1.25 });
  expect(shortcutFor(key('='))).toEqual({ type: 'zoom', factor: 1.25 });
  expect(shortcutFor(key('-'))).toEqual({ type: 'zoom', factor: 0.8 });
  expect(shortcutFor(key('=', { ctrlKey: true }))).toBeNull(); // the browser's or app's own page zoom
  expect(shortcutFor(key('b', { altKey: true }))).toBeNull();
  expect(shortcutFor(key('q'))).toBeNull();
  // N: the object brush's next object (Objects (SAM)); Ctrl+N is New (above).
  expect(shortcutFor(key('n'))).toEqual({ type: 'new-object' });
  expect(shortcutFor(key('N', { shiftKey: true }))).toBeNull();
  expect(shortcutFor(key('n', { altKey: true }))).toBeNull();
});

test('Ctrl+Shift+M (or Cmd) opens the Models dialog; plain M stays the region tool', () => {
  expect(shortcutFor(key('M', { ctrlKey: true, shiftKey: true }))).toEqual({ type: 'models' });
  expect(shortcutFor(key('m', { metaKey: true, shiftKey: true }))).toEqual({ type: 'models' });
  expect(shortcutFor(key('m', { ctrlKey: true }))).toBeNull();
  expect(shortcutFor(key('m'))).toEqual({ type: 'tool', tool: 'mask' });
});

test('? opens the shortcut list, which names every tool key and every Ctrl binding', () => {
  expect(shortcutFor(key('?', { shiftKey: true }))).toEqual({ type: 'help' });
  expect(shortcutFor(key('?', { ctrlKey: true, shiftKey: true }))).toBeNull();
  const listed = SHORTCUT_LIST.flatMap((g) => g.keys.map((k) => k.keys));
  for (const t of TOOLS) {
    expect(listed).toContain(t.key.toUpperCase());
    expect(shortcutFor(key(t.key))).toEqual({ type: 'tool', tool: t.id });
  }
  for (const k of ['Ctrl+Z', 'Ctrl+S', 'Shift+Ctrl+S', 'Ctrl+O', 'Shift+Ctrl+M', '0', '1', '+ / −', '?']) expect(listed).toContain(k);
});
