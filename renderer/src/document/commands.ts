// Command builders: read the current document, return an Update (a delta list) or throw a
// CommandError. They never mutate; DocumentStore.apply does.
import { pixelsDelta, type Delta } from './deltas';
import { tokenCount } from './create';
import { clipRect, isEmptyRect, type Rect } from './rect';
import type { Update } from './store';
import { REFERENCE_THUMBNAIL_SIDE, type Box, type DocumentState, type GalleryEntry, type Layer, type LayerContent, type LayerProps, type ReferenceContent, type Rgb, type UpscaledEntry } from './types';

export class CommandError extends Error {
  override readonly name = 'CommandError';
}

function editableLayer(doc: DocumentState, id: string): Layer {
  const layer = doc.layers.get(id);
  if (!layer) throw new CommandError(`no layer "${id}"`);
  if (layer.locked) throw new CommandError(`layer "${id}" is locked`);
  return layer;
}

/** The side effects of editing a layer's content by hand: its tokens no longer match, and it
 * becomes the artist's own — derived from nothing, so never stale (and no dependency cycle runs
 * through it); layers derived from it go stale. */
function contentChangedDeltas(doc: DocumentState, changed: ReadonlySet<string>): Delta[] {
  const out: Delta[] = [];
  for (const id of changed) {
    const layer = doc.layers.get(id);
    if (!layer) continue;
    if (layer.tokens?.agree) out.push({ type: 'tokens', layer: id, before: layer.tokens, after: { ids: layer.tokens.ids, agree: false } });
    if (layer.sync !== 'in-sync' || layer.derivedFrom.length > 0) {
      out.push({ type: 'props', layer: id, before: { sync: layer.sync, derivedFrom: layer.derivedFrom }, after: { sync: 'in-sync', derivedFrom: [] } });
    }
  }
  out.push(...staleDependentsDeltas(doc, changed));
  return out;
}

export function staleDependentsDeltas(doc: DocumentState, changed: ReadonlySet<string>): Delta[] {
  const out: Delta[] = [];
  for (const layer of doc.layers.values()) {
    if (changed.has(layer.id) || layer.sync !== 'in-sync') continue;
    if (layer.derivedFrom.some((src) => changed.has(src))) {
      out.push({ type: 'props', layer: layer.id, before: { sync: 'in-sync' }, after: { sync: 'stale' } });
    }
  }
  return out;
}

/** New bytes for `rect` of an image or segmentation layer (a dab, a fill, a gradient). */
export function paintPixels(doc: DocumentState, layerId: string, rect: Rect, after: Uint8Array, label = 'Paint'): Update {
  const layer = editableLayer(doc, layerId);
  const c = layer.content;
  if (c.kind !== 'image' && c.kind !== 'segmentation') throw new CommandError(`layer "${layerId}" is not a raster`);
  const clipped = clipRect(rect, c.plane.width, c.plane.height);
  if (clipped.x !== rect.x || clipped.y !== rect.y || clipped.w !== rect.w || clipped.h !== rect.h || isEmptyRect(rect)) {
    throw new CommandError(`paintPixels: rect ${JSON.stringify(rect)} is not inside ${c.plane.width}×${c.plane.height}`);
  }
  if (after.length !== rect.w * rect.h * c.plane.channels) {
    throw new CommandError(`paintPixels: expected ${rect.w * rect.h * c.plane.channels} bytes, got ${after.length}`);
  }
  return { label, deltas: [pixelsDelta(doc, layerId, rect, after.slice()), ...contentChangedDeltas(doc, new Set([layerId]))] };
}

export function setLayerProps(doc: DocumentState, layerId: string, patch: Partial<Omit<LayerProps, 'sync'>>, label = 'Layer settings'): Update {
  const layer = doc.layers.get(layerId);
  if (!layer) throw new CommandError(`no layer "${layerId}"`);
  if (patch.opacity !== undefined && !(patch.opacity >= 0 && patch.opacity <= 1)) throw new CommandError('opacity: expected 0..1');
  const before: Partial<LayerProps> = {};
  const after: Partial<LayerProps> = {};
  for (const key of Object.keys(patch) as (keyof typeof patch)[]) {
    if (patch[key] === undefined || patch[key] === layer[key]) continue;
    Object.assign(before, { [key]: layer[key] });
    Object.assign(after, { [key]: patch[key] });
  }
  return { label, deltas: Object.keys(after).length ? [{ type: 'props', layer: layerId, before, after }] : [] };
}

function checkBox(b: Box): void {
  const ok = [b.x0, b.y0, b.x1, b.y1].every((v) => v >= 0 && v <= 1) && b.x0 <= b.x1 && b.y0 <= b.y1;
  if (!ok) throw new CommandError(`box "${b.id}": expected 0 ≤ x0 ≤ x1 ≤ 1 and 0 ≤ y0 ≤ y1 ≤ 1`);
}

export function setBoxes(doc: DocumentState, layerId: string, boxes: readonly Box[], label = 'Edit boxes'): Update {
  const layer = editableLayer(doc, layerId);
  if (layer.content.kind !== 'boxes') throw new CommandError(`layer "${layerId}" is not a boxes layer`);
  boxes.forEach(checkBox);
  const delta: Delta = { type: 'boxes', layer: layerId, before: layer.content.boxes, after: boxes.map((b) => ({ ...b })) };
  return { label, deltas: [delta, ...contentChangedDeltas(doc, new Set([layerId]))] };
}

export function setText(doc: DocumentState, layerId: string, text: string, label = 'Edit caption'): Update {
  const layer = editableLayer(doc, layerId);
  if (layer.content.kind !== 'text') throw new CommandError(`layer "${layerId}" is not a text layer`);
  if (layer.content.text === text) return { label, deltas: [] };
  const delta: Delta = { type: 'text', layer: layerId, before: layer.content.text, after: text };
  return { label, deltas: [delta, ...contentChangedDeltas(doc, new Set([layerId]))] };
}

export function setPalette(doc: DocumentState, layerId: string, swatches: readonly Rgb[], label = 'Edit palette'): Update {
  const layer = editableLayer(doc, layerId);
  if (layer.content.kind !== 'palette') throw new CommandError(`layer "${layerId}" is not a palette layer`);
  for (const s of swatches) {
    if (!s.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)) throw new CommandError('swatch: expected integers 0..255');
  }
  const delta: Delta = { type: 'palette', layer: layerId, before: layer.content.swatches, after: swatches.map((s) => [s[0], s[1], s[2]] as const) };
  return { label, deltas: [delta, ...contentChangedDeltas(doc, new Set([layerId]))] };
}

/**
 * A picture reference's tokens (read from a picture, or cleared with ids null), with the picture's
 * thumbnail and where it came from: the artist's own content, as a paint or an import makes it.
 */
export function setReference(doc: DocumentState, layerId: string, reference: Omit<ReferenceContent, 'kind'>, label = 'Set picture reference'): Update {
  const layer = editableLayer(doc, layerId);
  if (layer.content.kind !== 'reference') throw new CommandError(`layer "${layerId}" is not a picture reference`);
  const side = REFERENCE_THUMBNAIL_SIDE;
  if (reference.thumbnail && reference.thumbnail.length !== side * side * 4) throw new CommandError(`thumbnail: expected ${side}×${side} RGBA (${side * side * 4} bytes), got ${reference.thumbnail.length}`);
  if (reference.ids && !reference.ids.every((v) => Number.isInteger(v) && v >= 0)) throw new CommandError('reference: expected token ids ≥ 0');
  const after: ReferenceContent = { kind: 'reference', ids: reference.ids?.slice() ?? null, source: reference.source, thumbnail: reference.thumbnail?.slice() ?? null };
  const delta: Delta = { type: 'reference', layer: layerId, before: layer.content, after };
  if (!after.ids) {
    // Cleared: empty again, as a new layer.
    return { label, deltas: [delta, { type: 'props', layer: layerId, before: { sync: layer.sync, derivedFrom: layer.derivedFrom }, after: { sync: 'empty', derivedFrom: [] } }, ...staleDependentsDeltas(doc, new Set([layerId]))] };
  }
  return { label, deltas: [delta, ...contentChangedDeltas(doc, new Set([layerId]))] };
}

/** Sets the region mask (token-grid bitmask) or clears it with null. Masks are allowed on locked layers. */
export function setMask(doc: DocumentState, layerId: string, mask: Uint8Array | null, label = 'Edit region'): Update {
  const layer = doc.layers.get(layerId);
  if (!layer) throw new CommandError(`no layer "${layerId}"`);
  const n = tokenCount(doc.manifest);
  if (mask && mask.length !== n) throw new CommandError(`mask: expected ${n} tokens, got ${mask.length}`);
  return { label, deltas: [{ type: 'mask', layer: layerId, before: layer.mask, after: mask ? mask.slice() : null }] };
}

export function addGalleryEntry(doc: DocumentState, entry: GalleryEntry, label = 'New result'): Update {
  if (doc.gallery.some((e) => e.id === entry.id)) throw new CommandError(`gallery entry "${entry.id}" exists`);
  for (const [id, out] of Object.entries(entry.outputs)) checkContentFits(doc, id, out.content);
  return { label, deltas: [{ type: 'galleryInsert', entry, index: doc.gallery.length }] };
}

export function removeGalleryEntry(doc: DocumentState, id: string, label = 'Delete result'): Update {
  const index = doc.gallery.findIndex((e) => e.id === id);
  const entry = doc.gallery[index];
  if (!entry) throw new CommandError(`no gallery entry "${id}"`);
  return { label, deltas: [{ type: 'galleryRemove', entry, index }] };
}

/** Adds an upscaled result (newest last); its pictures are for layers of this document. */
export function addUpscaledEntry(doc: DocumentState, entry: UpscaledEntry, label = 'Upscale ×2'): Update {
  if (doc.upscaled.some((e) => e.id === entry.id)) throw new CommandError(`upscaled entry "${entry.id}" exists`);
  if (entry.pictures.length === 0) throw new CommandError('an upscaled result without a picture');
  for (const p of entry.pictures) if (!doc.layers.has(p.layer)) throw new CommandError(`upscaled result has "${p.layer}", which this document has no layer for`);
  return { label, deltas: [{ type: 'upscaledInsert', entry, index: doc.upscaled.length }] };
}

export function removeUpscaledEntry(doc: DocumentState, id: string, label = 'Remove upscaled result'): Update {
  const index = doc.upscaled.findIndex((e) => e.id === id);
  const entry = doc.upscaled[index];
  if (!entry) throw new CommandError(`no upscaled entry "${id}"`);
  return { label, deltas: [{ type: 'upscaledRemove', entry, index }] };
}

/**
 * New content for several layers in one undoable step (a picture and its caption carried onto
 * another document): each layer is replaced whole and becomes the artist's own, as a paint or an
 * import makes it. Every content must fit its layer (kind, size, channels).
 */
export function setLayerContents(doc: DocumentState, contents: ReadonlyMap<string, LayerContent>, label: string): Update {
  const deltas: Delta[] = [];
  for (const [id, content] of contents) {
    const layer = editableLayer(doc, id);
    checkContentFits(doc, id, content);
    deltas.push(...contentDeltas(doc, layer, content));
  }
  return { label, deltas: [...deltas, ...contentChangedDeltas(doc, new Set(contents.keys()))] };
}

function checkContentFits(doc: DocumentState, layerId: string, content: LayerContent): void {
  const layer = doc.layers.get(layerId);
  if (!layer) throw new CommandError(`result has "${layerId}", which this document has no layer for`);
  if (layer.content.kind !== content.kind) throw new CommandError(`result "${layerId}": expected ${layer.content.kind}, got ${content.kind}`);
  if ((content.kind === 'image' || content.kind === 'segmentation') && (layer.content.kind === 'image' || layer.content.kind === 'segmentation')) {
    const a = layer.content.plane;
    const b = content.plane;
    if (a.width !== b.width || a.height !== b.height || a.channels !== b.channels) {
      throw new CommandError(`result "${layerId}": expected ${a.width}×${a.height}×${a.channels}, got ${b.width}×${b.height}×${b.channels}`);
    }
  }
}

export interface AcceptOptions {
  /** Which outputs to take; all by default. */
  readonly layers?: readonly string[];
  /** The layers the result was conditioned on, recorded as each accepted layer's derivedFrom. */
  readonly derivedFrom?: readonly string[];
  /** Those layers changed after the job read them: the result goes in stale, not in sync. */
  readonly stale?: boolean;
  /** The undo step's name; "Accept result" by default. */
  readonly label?: string;
}

/** One undoable step: replace content + tokens of the chosen outputs, mark them in sync (stale when
 * their conditions changed while the job ran), mark
 * layers derived from them stale, and flag the gallery entry accepted. Locked layers refuse. */
export function acceptResult(doc: DocumentState, entryId: string, options: AcceptOptions = {}): Update {
  const entry = doc.gallery.find((e) => e.id === entryId);
  if (!entry) throw new CommandError(`no gallery entry "${entryId}"`);
  const ids = options.layers ?? Object.keys(entry.outputs);
  const deltas: Delta[] = [];
  for (const id of ids) {
    const out = entry.outputs[id];
    if (!out) throw new CommandError(`gallery entry "${entryId}" has no output "${id}"`);
    const layer = editableLayer(doc, id);
    checkContentFits(doc, id, out.content);
    deltas.push(...contentDeltas(doc, layer, out.content));
    deltas.push({ type: 'tokens', layer: id, before: layer.tokens, after: out.tokens ? { ids: out.tokens, agree: true } : null });
    const props: Partial<LayerProps> = { sync: options.stale ? 'stale' : 'in-sync' };
    if (options.derivedFrom) props.derivedFrom = [...options.derivedFrom];
    deltas.push({ type: 'props', layer: id, before: { sync: layer.sync, derivedFrom: layer.derivedFrom }, after: props });
  }
  // The conditions the result was made from agree with it by construction: a layer derived
  // both ways (RGB ⇄ segmentation) must not turn stale because its own result was accepted.
  const conditions = new Set(options.derivedFrom ?? []);
  deltas.push(...staleDependentsDeltas(doc, new Set(ids)).filter((d) => !('layer' in d && conditions.has(d.layer))));
  if (!entry.accepted) deltas.push({ type: 'galleryAccepted', id: entryId, before: false, after: true });
  return { label: options.label ?? 'Accept result', deltas };
}

function contentDeltas(doc: DocumentState, layer: Layer, content: LayerContent): Delta[] {
  const c = layer.content;
  switch (content.kind) {
    case 'image':
    case 'segmentation': {
      if (c.kind !== 'image' && c.kind !== 'segmentation') return [];
      const rect = { x: 0, y: 0, w: c.plane.width, h: c.plane.height };
      return [pixelsDelta(doc, layer.id, rect, content.plane.data.slice())];
    }
    case 'boxes':
      return c.kind === 'boxes' ? [{ type: 'boxes', layer: layer.id, before: c.boxes, after: content.boxes }] : [];
    case 'text':
      return c.kind === 'text' ? [{ type: 'text', layer: layer.id, before: c.text, after: content.text }] : [];
    case 'palette':
      return c.kind === 'palette' ? [{ type: 'palette', layer: layer.id, before: c.swatches, after: content.swatches }] : [];
    case 'reference':
      return c.kind === 'reference' ? [{ type: 'reference', layer: layer.id, before: c, after: content }] : [];
  }
}
