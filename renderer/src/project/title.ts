// The window title: which project, and whether it has unsaved changes (as desktop apps show it).
export const APP_TITLE = '4M Studio';

export function windowTitle(name: string, dirty: boolean): string {
  return `${dirty ? '• ' : ''}${name || 'untitled'} — ${APP_TITLE}`;
}

/** The question before replacing a document with unsaved changes; null when nothing is at stake. */
export function discardQuestion(name: string, dirty: boolean): string | null {
  return dirty ? `"${name || 'untitled'}" has unsaved changes. Discard them?` : null;
}
