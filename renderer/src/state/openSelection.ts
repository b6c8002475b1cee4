// Which layer is selected when a document replaces the open one (New, Open, Recover). Pure.
import type { DocumentState } from '../document';

const isRaster = (l: { readonly kind: string }): boolean => l.kind === 'image' || l.kind === 'segmentation';

/**
 * The layer selected after `doc` replaces the open document, `activeId` being the one selected
 * before: it stays when it has something (or is a picture layer and nothing else has); an empty
 * selection gives way to the first picture layer that has something (a reopened sketch shows the
 * sketch), else to the first picture layer. New after working on the palette kept the empty
 * palette selected: every tool greyed and "Colour palette: pick its colours in the side panel"
 * over a canvas saying "RGB is empty: … paint it".
 */
export function selectionOnOpen(doc: DocumentState, activeId: string): string {
  const layers = [...doc.layers.values()];
  const active = doc.layers.get(activeId);
  if (active && active.sync !== 'empty') return activeId;
  const firstPainted = layers.find((l) => isRaster(l) && l.sync !== 'empty');
  if (firstPainted) return firstPainted.id;
  if (active && isRaster(active)) return activeId;
  const firstRaster = doc.manifest.modalities.find((m) => isRaster(m) && doc.layers.has(m.id));
  return firstRaster?.id ?? active?.id ?? doc.manifest.modalities[0]?.id ?? '';
}
