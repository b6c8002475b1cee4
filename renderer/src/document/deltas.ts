// Reversible deltas: every document change is one of these. Each carries both sides so
// undo is "apply the inverse" and nothing needs a snapshot of a whole layer.
import { readRect, writeRect } from './plane';
import type { Rect } from './rect';
import type { Box, DocumentState, GalleryEntry, Layer, LayerContent, LayerProps, LayerTokens, ReferenceContent, Rgb, UpscaledEntry } from './types';

export type Delta =
  | { readonly type: 'pixels'; readonly layer: string; readonly rect: Rect; readonly before: Uint8Array; readonly after: Uint8Array }
  | { readonly type: 'props'; readonly layer: string; readonly before: Partial<LayerProps>; readonly after: Partial<LayerProps> }
  | { readonly type: 'boxes'; readonly layer: string; readonly before: readonly Box[]; readonly after: readonly Box[] }
  | { readonly type: 'text'; readonly layer: string; readonly before: string; readonly after: string }
  | { readonly type: 'palette'; readonly layer: string; readonly before: readonly Rgb[]; readonly after: readonly Rgb[] }
  | { readonly type: 'reference'; readonly layer: string; readonly before: ReferenceContent; readonly after: ReferenceContent }
  | { readonly type: 'mask'; readonly layer: string; readonly before: Uint8Array | null; readonly after: Uint8Array | null }
  | { readonly type: 'tokens'; readonly layer: string; readonly before: LayerTokens | null; readonly after: LayerTokens | null }
  | { readonly type: 'galleryInsert'; readonly entry: GalleryEntry; readonly index: number }
  | { readonly type: 'galleryRemove'; readonly entry: GalleryEntry; readonly index: number }
  | { readonly type: 'galleryAccepted'; readonly id: string; readonly before: boolean; readonly after: boolean }
  | { readonly type: 'upscaledInsert'; readonly entry: UpscaledEntry; readonly index: number }
  | { readonly type: 'upscaledRemove'; readonly entry: UpscaledEntry; readonly index: number };

export class DeltaError extends Error {
  override readonly name = 'DeltaError';
}

export function invertDelta(d: Delta): Delta {
  switch (d.type) {
    case 'galleryInsert':
      return { type: 'galleryRemove', entry: d.entry, index: d.index };
    case 'galleryRemove':
      return { type: 'galleryInsert', entry: d.entry, index: d.index };
    case 'upscaledInsert':
      return { type: 'upscaledRemove', entry: d.entry, index: d.index };
    case 'upscaledRemove':
      return { type: 'upscaledInsert', entry: d.entry, index: d.index };
    case 'pixels':
      return { ...d, before: d.after, after: d.before };
    case 'props':
      return { ...d, before: d.after, after: d.before };
    case 'boxes':
      return { ...d, before: d.after, after: d.before };
    case 'text':
      return { ...d, before: d.after, after: d.before };
    case 'palette':
      return { ...d, before: d.after, after: d.before };
    case 'reference':
      return { ...d, before: d.after, after: d.before };
    case 'mask':
      return { ...d, before: d.after, after: d.before };
    case 'tokens':
      return { ...d, before: d.after, after: d.before };
    case 'galleryAccepted':
      return { ...d, before: d.after, after: d.before };
  }
}

function layerOf(doc: DocumentState, id: string): Layer {
  const layer = doc.layers.get(id);
  if (!layer) throw new DeltaError(`no layer "${id}"`);
  return layer;
}

function planeOf(layer: Layer): LayerContent & { kind: 'image' | 'segmentation' } {
  const c = layer.content;
  if (c.kind !== 'image' && c.kind !== 'segmentation') throw new DeltaError(`layer "${layer.id}" has no pixels`);
  return c;
}

/** Applies `d` forward. Mutates `doc`; copies incoming arrays so deltas stay immutable. */
export function applyDelta(doc: DocumentState, d: Delta): void {
  switch (d.type) {
    case 'pixels':
      writeRect(planeOf(layerOf(doc, d.layer)).plane, d.rect, d.after);
      return;
    case 'props':
      Object.assign(layerOf(doc, d.layer), d.after);
      return;
    case 'boxes':
      layerOf(doc, d.layer).content = { kind: 'boxes', boxes: d.after };
      return;
    case 'text':
      layerOf(doc, d.layer).content = { kind: 'text', text: d.after };
      return;
    case 'palette':
      layerOf(doc, d.layer).content = { kind: 'palette', swatches: d.after };
      return;
    case 'reference':
      // Contents are never mutated in place, so the delta's object can be the layer's.
      layerOf(doc, d.layer).content = d.after;
      return;
    case 'mask':
      layerOf(doc, d.layer).mask = d.after ? d.after.slice() : null;
      return;
    case 'tokens':
      layerOf(doc, d.layer).tokens = d.after ? { ids: d.after.ids.slice(), agree: d.after.agree } : null;
      return;
    case 'galleryInsert':
      doc.gallery.splice(d.index, 0, { ...d.entry });
      return;
    case 'galleryRemove': {
      const at = doc.gallery.findIndex((e) => e.id === d.entry.id);
      if (at < 0) throw new DeltaError(`no gallery entry "${d.entry.id}"`);
      doc.gallery.splice(at, 1);
      return;
    }
    case 'galleryAccepted': {
      const entry = doc.gallery.find((e) => e.id === d.id);
      if (!entry) throw new DeltaError(`no gallery entry "${d.id}"`);
      entry.accepted = d.after;
      return;
    }
    case 'upscaledInsert':
      doc.upscaled.splice(Math.min(d.index, doc.upscaled.length), 0, d.entry);
      return;
    case 'upscaledRemove': {
      const at = doc.upscaled.findIndex((e) => e.id === d.entry.id);
      if (at < 0) throw new DeltaError(`no upscaled entry "${d.entry.id}"`);
      doc.upscaled.splice(at, 1);
      return;
    }
  }
}

/** A pixels delta for `rect` of a layer, `after` being the new bytes; reads `before` from the doc. */
export function pixelsDelta(doc: DocumentState, layer: string, rect: Rect, after: Uint8Array): Delta {
  const before = readRect(planeOf(layerOf(doc, layer)).plane, rect);
  return { type: 'pixels', layer, rect, before, after };
}

// Structural values are small; a flat estimate keeps the budget maths cheap.
const STRUCT_BYTES = 64;

/** Approximate retained bytes of a delta, for the history memory budget. */
export function deltaBytes(d: Delta): number {
  switch (d.type) {
    case 'pixels':
      return d.before.byteLength + d.after.byteLength + STRUCT_BYTES;
    case 'mask':
      return (d.before?.byteLength ?? 0) + (d.after?.byteLength ?? 0) + STRUCT_BYTES;
    case 'tokens':
      return (d.before?.ids.byteLength ?? 0) + (d.after?.ids.byteLength ?? 0) + STRUCT_BYTES;
    case 'boxes':
      return (d.before.length + d.after.length) * STRUCT_BYTES + STRUCT_BYTES;
    case 'text':
      return (d.before.length + d.after.length) * 2 + STRUCT_BYTES;
    case 'palette':
      return (d.before.length + d.after.length) * 24 + STRUCT_BYTES;
    case 'reference':
      return (d.before.thumbnail?.byteLength ?? 0) + (d.after.thumbnail?.byteLength ?? 0) + 2 * STRUCT_BYTES;
    case 'galleryInsert':
    case 'galleryRemove':
      return galleryEntryBytes(d.entry);
    case 'upscaledInsert':
    case 'upscaledRemove':
      return d.entry.pictures.reduce((n, p) => n + p.png.byteLength, STRUCT_BYTES * 4);
    case 'props':
    case 'galleryAccepted':
      return STRUCT_BYTES;
  }
}

function galleryEntryBytes(e: GalleryEntry): number {
  let n = STRUCT_BYTES * 4;
  for (const out of Object.values(e.outputs)) {
    n += out.tokens?.byteLength ?? 0;
    const c = out.content;
    if (c.kind === 'image' || c.kind === 'segmentation') n += c.plane.data.byteLength;
    else n += STRUCT_BYTES;
  }
  return n;
}
