// Keyboard shortcuts → editor actions. Pure, so the bindings are unit-tested.
import { TOOLS, type ToolId } from '../tools/toolIds';

export type ShortcutAction =
  | { readonly type: 'undo' }
  | { readonly type: 'redo' }
  | { readonly type: 'save' }
  | { readonly type: 'save-as' }
  | { readonly type: 'open' }
  /** A new document (asks first when something would be lost). */
  | { readonly type: 'new' }
  | { readonly type: 'tool'; readonly tool: ToolId }
  | { readonly type: 'size'; readonly factor: number }
  | { readonly type: 'fit-view' }
  /** Zoom about the middle of the view by `factor`. */
  | { readonly type: 'zoom'; readonly factor: number }
  /** 100 %: one screen pixel per document pixel. */
  | { readonly type: 'actual-size' }
  /** The Models dialog (ModelsDialog.svelte handles it). */
  | { readonly type: 'models' }
  /** The list of shortcuts (ShortcutsDialog.svelte). */
  | { readonly type: 'help' }
  /** The object brush's next object (Objects (SAM)). */
  | { readonly type: 'new-object' };

export interface KeyLike {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

/** Null when the key is not a shortcut. Ctrl and Cmd are interchangeable on every platform. */
export function shortcutFor(e: KeyLike): ShortcutAction | null {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (mod && !e.altKey) {
    if (key === 'z') return e.shiftKey ? { type: 'redo' } : { type: 'undo' };
    if (key === 'y' && !e.shiftKey) return { type: 'redo' };
    if (key === 's') return e.shiftKey ? { type: 'save-as' } : { type: 'save' };
    if (key === 'o' && !e.shiftKey) return { type: 'open' };
    // The app menu leaves New to the editor (app-menu.ts); a browser keeps Ctrl+N for a new window.
    if (key === 'n' && !e.shiftKey) return { type: 'new' };
    if (key === 'm' && e.shiftKey) return { type: 'models' };
    return null;
  }
  if (mod || e.altKey) return null;
  // "?" is Shift+/ on most layouts: matched by the character, whatever Shift says.
  if (e.key === '?') return { type: 'help' };
  if (e.key === '0') return { type: 'fit-view' };
  if (e.key === '1') return { type: 'actual-size' };
  // "+" is Shift+= on most layouts; "=" zooms in too, so no Shift is needed.
  if (e.key === '+' || e.key === '=') return { type: 'zoom', factor: 1.25 };
  if (e.key === '-') return { type: 'zoom', factor: 0.8 };
  if (e.key === '[') return { type: 'size', factor: 1 / 1.25 };
  if (e.key === ']') return { type: 'size', factor: 1.25 };
  if (key === 'n' && !e.shiftKey) return { type: 'new-object' };
  const tool = TOOLS.find((t) => t.key === key);
  return tool && !e.shiftKey ? { type: 'tool', tool: tool.id } : null;
}

/** Typing in a field must not switch tools. */
export function isTextTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as { tagName?: unknown }).tagName !== 'string') return false;
  const el = target as HTMLElement;
  return el.isContentEditable || el.tagName === 'TEXTAREA' || (el.tagName === 'INPUT' && !['checkbox', 'radio', 'range', 'button'].includes((el as HTMLInputElement).type));
}

export interface ShortcutGroup {
  readonly title: string;
  readonly keys: readonly { readonly keys: string; readonly does: string }[];
}

/** What the shortcut list (the header's "?", or the ? key) shows: every binding above, and the keys other parts of the editor keep. */
export const SHORTCUT_LIST: readonly ShortcutGroup[] = [
  {
    title: 'Tools (on the layers they fit)',
    keys: [
      ...TOOLS.map((t) => ({ keys: t.key.toUpperCase(), does: t.label })),
      { keys: '[ / ]', does: 'Smaller / larger brush' },
      { keys: 'N', does: 'New object (Objects (SAM): the object brush takes the next colour)' },
      { keys: 'Alt+click', does: 'Pick an object to extend (Objects (SAM), object brush)' },
    ],
  },
  {
    title: 'Canvas',
    keys: [
      { keys: '0', does: 'Fit the picture in the window' },
      { keys: '1', does: 'Actual pixels (100 %)' },
      { keys: '+ / −', does: 'Zoom in / out' },
      { keys: 'Wheel', does: 'Zoom at the pointer' },
      { keys: 'Space + drag, middle drag', does: 'Move the view' },
    ],
  },
  {
    title: 'Generate',
    keys: [
      { keys: 'Enter (in the prompt)', does: 'Generate' },
      { keys: 'Enter', does: 'Accept the staged result' },
      { keys: 'Esc', does: 'Stop the running generation; else discard the staged result' },
      { keys: '← / →', does: 'Previous / next variation' },
    ],
  },
  {
    title: 'Project',
    keys: [
      { keys: 'Ctrl+Z', does: 'Undo' },
      { keys: 'Shift+Ctrl+Z, Ctrl+Y', does: 'Redo' },
      { keys: 'Ctrl+S', does: 'Save' },
      { keys: 'Shift+Ctrl+S', does: 'Save As' },
      { keys: 'Ctrl+N', does: 'New (in the desktop app)' },
      { keys: 'Ctrl+O', does: 'Open' },
      { keys: 'Shift+Ctrl+M', does: 'Models' },
      { keys: '?', does: 'This list' },
    ],
  },
];
