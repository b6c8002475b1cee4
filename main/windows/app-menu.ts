import type { MenuItemConstructorOptions } from 'electron';

/** What the menu's own items do; main wires them to windows and dialogs. */
export interface MenuActions {
  /** Reload through the unsaved-changes guard (development only). */
  reload(): void;
}

/**
 * The application menu: File, Edit, View, Window, Help with the platforms' standard roles and
 * accelerators. Production has no Reload and no DevTools (a reload there would discard unsaved
 * work without asking, and DevTools is a door into the renderer); development gets both, the
 * reload going through the same guard as closing. Pure data, so it is unit-tested without Electron.
 */
export function applicationMenu(options: { platform: NodeJS.Platform; dev: boolean; appName: string }, actions: MenuActions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const menu: MenuItemConstructorOptions[] = [];
  if (mac) {
    menu.push({
      label: options.appName,
      submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
    });
  }
  // The editor handles New/Open/Save itself (Ctrl/Cmd+N, O, S) so both transports behave alike.
  menu.push({ label: 'File', submenu: [mac ? { role: 'close' } : { role: 'quit' }] });
  menu.push({
    label: 'Edit',
    submenu: [
      // Undo/redo of text fields; the document's own undo is the editor's (Ctrl/Cmd+Z on the canvas).
      { role: 'undo' }, { role: 'redo' }, { type: 'separator' },
      { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' },
    ],
  });
  const view: MenuItemConstructorOptions[] = [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }];
  if (options.dev) {
    view.unshift({ label: 'Reload', accelerator: 'CmdOrCtrl+R', click: () => actions.reload() }, { role: 'toggleDevTools' }, { type: 'separator' });
  }
  menu.push({ label: 'View', submenu: view });
  menu.push({ role: 'windowMenu' });
  menu.push({ role: 'help', submenu: [{ label: 'About 4M', click: () => undefined, enabled: false }] });
  return menu;
}

/** Keys that reload a page in Chromium (F5, Ctrl/Cmd+R, Ctrl/Cmd+Shift+R, Ctrl+F5). */
export function isReloadShortcut(input: { type: string; key: string; control: boolean; meta: boolean }): boolean {
  if (input.type !== 'keyDown') return false;
  const key = input.key.toLowerCase();
  return key === 'f5' || ((input.control || input.meta) && key === 'r');
}

/** Keys that open DevTools (F12, Ctrl/Cmd+Shift+I/J/C, Cmd+Alt+I). */
export function isDevToolsShortcut(input: { type: string; key: string; control: boolean; meta: boolean; shift: boolean; alt: boolean }): boolean {
  if (input.type !== 'keyDown') return false;
  const key = input.key.toLowerCase();
  return key === 'f12' || ((input.control || input.meta) && (input.shift || input.alt) && ['i', 'j', 'c'].includes(key));
}
