// When the Generate panel's last line stops being news. Pure.
import type { DocumentChange } from '../document';
import { lineOutlives } from '../state/lineOutlives';

/**
 * Whether the panel's line ("Accepted RGB (seed 1234)", "Discarded the result; nothing changed.")
 * still stands after `change`. An edit, undo or redo the panel did not make (painting, a role or a
 * task preset, removing a gallery entry) moves on from it: the line would otherwise sit there long
 * after, reading as the answer to the last thing done. A preview (not recorded) is no edit and
 * keeps it; a replaced document is the panel's own case (it says what was dropped). The panel's
 * own edits (accept, Use) set their line after they apply, so they replace it rather than lose it.
 */
export function noteOutlives(change: Pick<DocumentChange, 'source' | 'recorded'>): boolean {
  return change.source === 'replace' || lineOutlives(change);
}
