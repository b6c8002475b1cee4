// What undo and redo say: the buttons' hover text, the status line after Ctrl+Z / Ctrl+Y, and the
// names history entries get for layer settings. Pure, so the wording is unit-tested.
import type { LayerRole } from '../document';

type Way = 'undo' | 'redo';

const KEYS: Record<Way, string> = { undo: 'Ctrl+Z', redo: 'Shift+Ctrl+Z / Ctrl+Y' };

/** "Undo Erase (Ctrl+Z)", or "Nothing to undo" (the button is disabled then). */
export function historyButtonTitle(way: Way, label: string | undefined): string {
  if (!label) return `Nothing to ${way} (${KEYS[way]})`;
  return `${way === 'undo' ? 'Undo' : 'Redo'} ${label} (${KEYS[way]})`;
}

/** The status line after the key: which step went (a role flipped back is easy to miss), or that none was left. */
export function historyStatus(way: Way, label: string | undefined, hidden: readonly string[] = []): string {
  if (label === undefined) return `Nothing to ${way}`;
  const done = `${way === 'undo' ? 'Undone' : 'Redone'}: ${label}`;
  if (hidden.length === 0) return done;
  // The step changed layers a waiting result covers on the canvas: say so, or nothing would show it.
  const names = hidden.join(', ');
  return `${done} · ${names} changed under the waiting result (Discard to see ${hidden.length > 1 ? 'them' : 'it'})`;
}

/** History name of a role change: "Set Segmentation to condition". */
export function roleChangeLabel(layer: string, role: LayerRole): string {
  return `Set ${layer} to ${role}`;
}

/** History name of a lock change: "Lock Depth" / "Unlock Depth". */
export function lockChangeLabel(layer: string, locked: boolean): string {
  return `${locked ? 'Lock' : 'Unlock'} ${layer}`;
}
