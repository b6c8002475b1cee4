// What the empty-layer note on the canvas tells the artist to do, by the layer's role: a sketch
// waiting to be painted is not told to "set it to generate". Pure, so the wording is unit-tested.
import type { LayerKind, LayerRole, SyncStatus } from '../document';

export function emptyHint(label: string, kind: LayerKind, role: LayerRole): string {
  if (role === 'generate') return `${label} is empty: press Generate to make it.`;
  if (role === 'condition') {
    if (kind === 'segmentation') return `${label} is empty: pick a class above, then fill (G) or paint (B) it. It steers what is generated.`;
    if (kind === 'image') return `${label} is empty: paint it or import a picture. It steers what is generated.`;
    return `${label} is empty: add to it in the panel on the right. It steers what is generated.`;
  }
  if (kind === 'segmentation') return `${label} is empty: pick a task above, or paint it (pick a class, then fill or paint).`;
  return `${label} is empty: pick a task above, paint it, or import a picture.`;
}

/**
 * Whether the empty-view note shows: the viewed layer is empty and nothing is previewed on it, and
 * the artist is not working on another layer drawn over it (boxes drawn over an empty picture had the
 * note covering them).
 */
export function showsEmptyHint(shown: { id: string; sync: SyncStatus } | undefined, active: { id: string; sync: SyncStatus } | undefined, previewed: boolean): boolean {
  if (!shown || shown.sync !== 'empty' || previewed) return false;
  return !active || active.id === shown.id || active.sync === 'empty';
}
