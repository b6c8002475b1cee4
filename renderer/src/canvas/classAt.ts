// Which class is under the pointer: the artist hovering a class map (shown, or laid over the
// picture) reads the class name beside the pointer instead of guessing from a colour.
import { UNLABELED_CLASS, type DocumentState, type LayerContent, type SegmentationClass } from '../document';

export interface HoveredClass {
  readonly layerId: string;
  readonly index: number;
  readonly name: string;
  readonly color: SegmentationClass['color'];
}

/**
 * The class at document pixel (x, y) of the class map the canvas shows: the viewed layer if it is
 * one, else the overlay. What is shown counts (a staged or preview result stands in for the
 * layer); an empty layer, an unlabeled pixel or a point off the picture has no class.
 */
export function classAt(doc: DocumentState, view: { viewId: string; overlayId: string | null }, overrides: ReadonlyMap<string, LayerContent>, x: number, y: number): HoveredClass | null {
  const { width, height } = doc.manifest;
  const px = Math.floor(x);
  const py = Math.floor(y);
  if (px < 0 || py < 0 || px >= width || py >= height) return null;
  for (const id of [view.viewId, view.overlayId]) {
    if (!id) continue;
    const layer = doc.layers.get(id);
    const classes = doc.manifest.modalities.find((m) => m.id === id)?.classes;
    if (layer?.kind !== 'segmentation' || !classes) continue;
    const content = overrides.get(id) ?? (layer.sync === 'empty' ? null : layer.content);
    if (content?.kind !== 'segmentation') return null;
    const index = content.plane.data[py * content.plane.width + px] ?? UNLABELED_CLASS;
    const cls = index === UNLABELED_CLASS ? undefined : classes[index];
    return cls ? { layerId: id, index, name: cls.name, color: cls.color } : null;
  }
  return null;
}
