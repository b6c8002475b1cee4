// Removing an entry from a keyboard-reachable list (the gallery, the upscaled results): which key
// removes, and where the keyboard goes afterwards. One behaviour for every such list.
import { tick } from 'svelte';
import { isTextTarget } from '../state/shortcuts';

/** Delete or Backspace with no modifier, outside a text field: remove the entry the keyboard is on. */
export function isRemoveEntryKey(ev: KeyboardEvent): boolean {
  return (ev.key === 'Delete' || ev.key === 'Backspace') && !ev.ctrlKey && !ev.metaKey && !ev.altKey && !ev.shiftKey && !isTextTarget(ev.target);
}

/**
 * Runs `remove` for the entry `id` of `entries` (in list order); if the keyboard was in `list`, it moves
 * on to the entry that takes the removed one's place (the next, else the one before), or to the list.
 */
export async function removeKeepingFocus(list: HTMLElement | undefined, entries: readonly { readonly id: string }[], id: string, remove: () => boolean): Promise<void> {
  const at = entries.findIndex((x) => x.id === id);
  const next = entries[at + 1] ?? entries[at - 1];
  const hadFocus = list?.contains(document.activeElement) ?? false;
  if (!remove() || !hadFocus) return;
  await tick();
  const li = next ? list?.querySelector<HTMLElement>(`li[data-id="${CSS.escape(next.id)}"]`) : null;
  (li ?? list)?.focus();
}
