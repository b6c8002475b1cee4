import { expect, test, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { applicationMenu, isDevToolsShortcut, isReloadShortcut } from '../../../../main/windows/app-menu';

// close-guard.ts imports electron's dialog for the real prompt; the decisions under test are pure.
vi.mock('electron', () => ({ dialog: {} }));
const { closePrompt, reloadPrompt } = await import('../../../../main/windows/close-guard');

const flat = (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
  items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flat(i.submenu) : [])]);

test('production menu: File, Edit, View, Window, Help with standard roles; no reload, no DevTools', () => {
  for (const platform of ['win32', 'linux', 'darwin'] as const) {
    const menu = applicationMenu({ platform, dev: false, appName: '4M Studio' }, { reload: () => undefined });
    const top = menu.map((m) => m.label ?? m.role);
    expect(top).toEqual([...(platform === 'darwin' ? ['4M Studio'] : []), 'File', 'Edit', 'View', 'windowMenu', 'help']);
    const all = flat(menu);
    expect(all.some((i) => i.role === 'toggleDevTools' || i.role === 'reload' || i.role === 'forceReload' || i.label === 'Reload')).toBe(false);
    expect(all.filter((i) => ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll'].includes(i.role ?? ''))).toHaveLength(6);
  }
});

test('development menu: DevTools, and a reload that goes through the guard', () => {
  let reloads = 0;
  const all = flat(applicationMenu({ platform: 'linux', dev: true, appName: '4M Studio' }, { reload: () => reloads++ }));
  expect(all.some((i) => i.role === 'toggleDevTools')).toBe(true);
  const reload = all.find((i) => i.label === 'Reload');
  expect(reload?.role).toBeUndefined(); // not Chromium's own reload, which would skip the guard
  (reload?.click as () => void)();
  expect(reloads).toBe(1);
});

test('reload and DevTools shortcuts are recognised', () => {
  const key = (k: string, mods: Partial<{ control: boolean; meta: boolean; shift: boolean; alt: boolean }> = {}) => ({ type: 'keyDown', key: k, control: false, meta: false, shift: false, alt: false, ...mods });
  expect(isReloadShortcut(key('F5'))).toBe(true);
  expect(isReloadShortcut(key('r', { control: true }))).toBe(true);
  expect(isReloadShortcut(key('R', { meta: true, shift: true }))).toBe(true);
  expect(isReloadShortcut(key('r'))).toBe(false);
  expect(isReloadShortcut({ ...key('F5'), type: 'keyUp' })).toBe(false);
  expect(isDevToolsShortcut(key('F12'))).toBe(true);
  expect(isDevToolsShortcut(key('i', { control: true, shift: true }))).toBe(true);
  expect(isDevToolsShortcut(key('i', { control: true }))).toBe(false);
});

test('a reload with unsaved changes asks first; a clean one does not', () => {
  expect(reloadPrompt({ dirty: false, waiting: false, name: 'a' })).toBeNull();
  expect(reloadPrompt({ dirty: true, waiting: false, name: 'scene' })).toMatchObject({ message: expect.stringMatching(/Reload and discard the unsaved changes of “scene”/), buttons: ['Reload', 'Cancel'] });
  expect(closePrompt({ dirty: true, waiting: false, name: 'scene' })?.buttons).toEqual(['Close without saving', 'Cancel']);
});
