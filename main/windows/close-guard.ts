import type { BrowserWindow } from 'electron';
import { dialog } from 'electron';
import { UnsavedState } from '../../preload/contract/window';

/**
 * The question asked before a window closes with unsaved changes or a generated result waiting for
 * Accept (pure, so it is testable without Electron). A waiting result is in no file and not in the
 * autosave: closing loses it for good, so the question says so.
 */
export function closePrompt(state: UnsavedState | undefined): { message: string; detail: string; buttons: [string, string] } | null {
  if (!state?.dirty && !state?.waiting) return null;
  const name = `“${state.name || 'Untitled'}”`;
  const autosave = 'the latest autosave is kept and offered for recovery the next time 4M Studio starts.';
  const lost = 'If you close now, the generated result waiting for Accept is lost: it is in no file, not even the autosave. Accept it first to keep it.';
  if (!state.waiting) return { message: `${name} has changes that are not saved to its file.`, detail: `If you close now, ${autosave}`, buttons: ['Close without saving', 'Cancel'] };
  if (!state.dirty) return { message: `${name} has a generated result not yet accepted.`, detail: lost, buttons: ['Close and discard it', 'Cancel'] };
  return {
    message: `${name} has changes that are not saved to its file, and a generated result not yet accepted.`,
    detail: `${lost} Of the other changes, ${autosave}`,
    buttons: ['Close without saving', 'Cancel'],
  };
}

/** The question asked before a reload would drop unsaved changes or a waiting result (pure). */
export function reloadPrompt(state: UnsavedState | undefined): { message: string; detail: string; buttons: [string, string] } | null {
  if (!state?.dirty && !state?.waiting) return null;
  const what = [state.dirty ? 'the unsaved changes' : '', state.waiting ? 'the generated result not yet accepted' : ''].filter(Boolean).join(' and ');
  return {
    message: `Reload and discard ${what} of “${state.name || 'Untitled'}”?`,
    detail: state.dirty ? 'The latest autosave is kept and offered for recovery after the reload.' : 'The result is in no file: Accept it first to keep it.',
    buttons: ['Reload', 'Cancel'],
  };
}

/**
 * Keeps each window's unsaved state (sent by its renderer over 'window:unsaved', validated
 * here: unsaved changes, a result waiting for Accept) and asks before such a window closes.
 * Quitting from the menu closes windows too, so one guard covers both.
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
