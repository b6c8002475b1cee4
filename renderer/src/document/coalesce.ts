// Folds the many small deltas of one brush stroke into one delta per layer and property,
// so a stroke is one undo step and retains only its bounding rectangle's bytes twice.
import { blitRect, readRect } from './plane';
import { unionRect, type Rect } from './rect';
import type { Delta } from './deltas';
import type { DocumentState, LayerProps } from './types';

type PixelsDelta = Extract<Delta, { type: 'pixels' }>;
type PropsDelta = Extract<Delta, { type: 'props' }>;

/** `deltas` must already be applied to `doc` (the stroke has been painted). */
export function coalesceDeltas(doc: DocumentState, deltas: readonly Delta[]): Delta[] {
  const pixelGroups = new Map<string, PixelsDelta[]>();
  const propGroups = new Map<string, PropsDelta[]>();
  const out: (Delta | { type: 'pixelsSlot'; layer: string } | { type: 'propsSlot'; layer: string })[] = [];
  for (const d of deltas) {
    if (d.type === 'pixels') {
      const group = pixelGroups.get(d.layer);
      if (group) group.push(d);
      else {
        pixelGroups.set(d.layer, [d]);
        out.push({ type: 'pixelsSlot', layer: d.layer });
      }
    } else if (d.type === 'props') {
      const group = propGroups.get(d.layer);
      if (group) group.push(d);
      else {
        propGroups.set(d.layer, [d]);
        out.push({ type: 'propsSlot', layer: d.layer });
      }
    } else out.push(d);
  }
  return out.map((slot) => {
    if (slot.type === 'pixelsSlot') return mergePixels(doc, slot.layer, pixelGroups.get(slot.layer) ?? []);
    if (slot.type === 'propsSlot') return mergeProps(slot.layer, propGroups.get(slot.layer) ?? []);
    return slot;
  });
}

function mergePixels(doc: DocumentState, layer: string, group: PixelsDelta[]): Delta {
  const only = group[0];
  if (group.length === 1 && only) return only;
  const content = doc.layers.get(layer)?.content;
  if (!content || (content.kind !== 'image' && content.kind !== 'segmentation')) {
    throw new Error(`coalesce: layer "${layer}" has no pixels`);
  }
  let rect: Rect = { x: 0, y: 0, w: 0, h: 0 };
  for (const d of group) rect = unionRect(rect, d.rect);
  const after = readRect(content.plane, rect);
  // Rewind from the painted state: each delta's `before` undone newest-first leaves the
  // union rect as it was before the stroke.
  const before = after.slice();
  for (let i = group.length - 1; i >= 0; i--) {
    const d = group[i];
    if (d) blitRect(before, rect, d.before, d.rect, content.plane.channels);
  }
  return { type: 'pixels', layer, rect, before, after };
}

function mergeProps(layer: string, group: PropsDelta[]): Delta {
  const before: Partial<LayerProps> = {};
  const after: Partial<LayerProps> = {};
  for (const d of group) {
    for (const key of Object.keys(d.before) as (keyof LayerProps)[]) {
      if (!(key in before)) Object.assign(before, { [key]: d.before[key] });
    }
    Object.assign(after, d.after);
  }
  return { type: 'props', layer, before, after };
}
