// When a message line (the status line under the canvas, the Upscale panel's) stops being news. Pure.
import type { DocumentChange } from '../document';

/**
 * Whether a line saying what just happened ("Undone: Erase", "Imported beach.png …", "Removed the
 * upscaled result …; Ctrl+Z brings it back") still stands after `change`. Any edit, undo, redo or
 * replaced document moves on from it: the line would otherwise sit there after the next action,
 * reading as its answer ("Removed …" still shown after Ctrl+Z brought the entry back). A preview
 * (not recorded) is no edit and keeps it. Whoever makes an edit and says so sets the line after
 * the edit applies, so its own line is the one left.
 */
export function lineOutlives(change: Pick<DocumentChange, 'source' | 'recorded'>): boolean {
  return change.source === 'apply' && !change.recorded;
}
