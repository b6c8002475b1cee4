import type { BrowserWindow } from 'electron';
import { dialog } from 'electron';
import { UnsavedState } from '../../preload/contract/window';

/** The question asked before a window with unsaved changes closes (pure, so it is testable without Electron). */
export function closePrompt(state: UnsavedState | undefined): { message: string; detail: string; buttons: [string, string] } | null {
  if (!state?.dirty) return null;
  return {
    message: `“${state.name || 'Untitled'}” has changes that are not saved to its file.`,
    detail: 'If you close now, the latest autosave is kept and offered for recovery the next time 4M Studio starts.',
    buttons: ['Close without saving', 'Cancel'],
  };
}

/** The question asked before a reload would drop unsaved changes (pure). */
export function reloadPrompt(state: UnsavedState | undefined): { message: string; detail: string; buttons: [string, string] } | null {
  if (!state?.dirty) return null;
  return {
    message: `Reload and discard the unsaved changes of “${state.name || 'Untitled'}”?`,
    detail: 'The latest autosave is kept and offered for recovery after the reload.',
    buttons: ['Reload', 'Cancel'],
  };
}

/**
 * Keeps each window's unsaved state (sent by its renderer over 'window:unsaved', validated
 * here) and asks before such a window closes. Quitting from the menu closes windows too, so
 * one guard covers both.
 */
export class CloseGuard {
  readonly #states = new Map<number, UnsavedState>();

  /** The 'window:unsaved' handler: untrusted input from the renderer, validated. */
  update(webContentsId: number, raw: unknown): void {
    const parsed = UnsavedState.safeParse(raw);
    if (parsed.success) this.#states.set(webContentsId, parsed.data);
  }

  /** Whether a reload of this window may go ahead (asks when it has unsaved changes). */
  confirmReload(window: BrowserWindow): boolean {
    const prompt = reloadPrompt(this.#states.get(window.webContents.id));
    if (!prompt) return true;
    return dialog.showMessageBoxSync(window, { type: 'warning', ...prompt, defaultId: 1, cancelId: 1, noLink: true }) === 0;
  }

  attach(window: BrowserWindow): void {
    const id = window.webContents.id;
    window.on('close', (event) => {
      const prompt = closePrompt(this.#states.get(id));
      if (!prompt) return;
      const choice = dialog.showMessageBoxSync(window, { type: 'warning', ...prompt, defaultId: 1, cancelId: 1, noLink: true });
      if (choice === 1) event.preventDefault();
      else this.#states.delete(id);
    });
    window.on('closed', () => this.#states.delete(id));
  }
}
