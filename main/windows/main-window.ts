import { BrowserWindow, shell } from 'electron';
import { join } from 'node:path';
import { APP_ENTRY } from '../security/app-origin';
import { isAllowedExternalLink } from '../security/external-links';
import { isDevToolsShortcut, isReloadShortcut } from './app-menu';

export interface MainWindowOptions {
  /** Development: DevTools and a (guarded) reload. */
  dev: boolean;
  /** Asks before a reload would drop unsaved changes; true = go ahead. */
  confirmReload(window: BrowserWindow): boolean;
}

/**
 * The editor window, hardened: sandboxed renderer, isolated preload, no Node, served from the
 * app's own origin (app://studio, whose protocol handler sends the CSP as a header), no
 * navigation away from it, no new windows (allow-listed https links open in the system
 * browser), no DevTools and no reload shortcuts in production.
 */
export function createMainWindow(outDir: string, options: MainWindowOptions): BrowserWindow {
  const devUrl = process.env['ELECTRON_RENDERER_URL'];
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    title: '4M Studio',
    show: false,
    webPreferences: {
      preload: join(outDir, 'preload', 'index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      devTools: options.dev,
    },
  });

  window.webContents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  // The app is one page: every navigation (a dropped file, a link, a script) is refused.
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());
  window.webContents.on('before-input-event', (event, input) => {
    if (isReloadShortcut(input)) {
      event.preventDefault();
      if (options.dev && options.confirmReload(window)) window.webContents.reload();
    } else if (!options.dev && isDevToolsShortcut(input)) {
      event.preventDefault();
    }
  });
  window.once('ready-to-show', () => window.show());

  if (devUrl) void window.loadURL(devUrl);
  else void window.loadURL(APP_ENTRY);
  return window;
}
