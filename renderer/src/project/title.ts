// The window title: which project, and whether it has unsaved changes (as desktop apps show it).
export const APP_TITLE = '4M Studio';

export function windowTitle(name: string, dirty: boolean): string {
  return `${dirty ? '• ' : ''}${name || 'untitled'} — ${APP_TITLE}`;
}

/**
 * The question before replacing a document with unsaved changes, or with a generated result still
 * waiting for Accept (it is in no file, and does not follow to the next document); null when
 * nothing is at stake.
 */
export function discardQuestion(name: string, dirty: boolean, waiting = false): string | null {
  const shown = `"${name || 'untitled'}"`;
  if (dirty && waiting) return `${shown} has unsaved changes and a generated result not yet accepted. Discard them?`;
  if (dirty) return `${shown} has unsaved changes. Discard them?`;
  if (waiting) return `${shown} has a generated result not yet accepted. Discard it?`;
  return null;
}
