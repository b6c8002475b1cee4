// Document → project bytes. Deterministic: fixed key order, layers and gallery outputs in
// manifest order, job inputs by ref, chunks in header order, so save → restore → save is byte-identical.
import type { DocumentState, GalleryEntry, InputPixels, Layer, LayerContent, UpscaledEntry } from '../types';
import { BlobWriter, writeContainer, type ChunkRef } from './container';
import { modelRecordOf } from '../modelRecord';
import { FORMAT_VERSION } from './migrate';
import { encodeRgbaPng } from './rgbaPng';
import { FORMAT_ID, type ContentJson, type GalleryEntryJson, type HeaderJson, type LayerJson, type UpscaledEntryJson } from './schema';

export function saveProject(doc: DocumentState): Uint8Array {
  const blob = new BlobWriter();
  // The results of one job share its input pixels (one ref, the hash of the bytes): stored once.
  const inputChunks = new Map<string, ChunkRef>();
  const order = doc.manifest.modalities.map((m) => m.id);
  const header: HeaderJson = {
    format: FORMAT_ID,
    model: modelRecordOf(doc.manifest),
    manifest: doc.manifest,
    layers: order.flatMap((id) => {
      const layer = doc.layers.get(id);
      return layer ? [layerJson(layer, blob)] : [];
    }),
    gallery: doc.gallery.map((e) => galleryJson(e, order, blob, inputChunks)),
    upscaled: doc.upscaled.map((e) => upscaledJson(e, blob)),
  };
  return writeContainer(FORMAT_VERSION, JSON.stringify(header), blob.concat());
}

function layerJson(layer: Layer, blob: BlobWriter): LayerJson {
  return {
    id: layer.id,
    visible: layer.visible,
    opacity: layer.opacity,
    locked: layer.locked,
    role: layer.role,
    sync: layer.sync,
    derivedFrom: [...layer.derivedFrom],
    content: contentJson(layer.content, blob),
    mask: layer.mask ? blob.add(layer.mask) : null,
    tokens: layer.tokens ? { ids: addInt32(blob, layer.tokens.ids), agree: layer.tokens.agree } : null,
  };
}

function galleryJson(e: GalleryEntry, order: readonly string[], blob: BlobWriter, inputChunks: Map<string, ChunkRef>): GalleryEntryJson {
  const inputJson = ([ref, p]: [string, InputPixels]): GalleryEntryJson['inputs'][number] => {
    let png = inputChunks.get(ref);
    if (!png) inputChunks.set(ref, (png = blob.add(keptPng(p))));
    return { ref, width: p.width, height: p.height, png };
  };
  return {
    id: e.id,
    createdAt: e.createdAt,
    accepted: e.accepted,
    request: e.request,
    outputs: order.flatMap((layer) => {
      const out = e.outputs[layer];
      if (!out) return [];
      return [{ layer, content: contentJson(out.content, blob), tokens: out.tokens ? addInt32(blob, out.tokens) : null }];
    }),
    inputs: Object.entries(e.inputs ?? {})
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(inputJson),
  };
}

/**
 * Kept pixels never change once a result holds them, so each is encoded once per session, not on
 * every autosave (a 224 px picture takes tens of milliseconds to compress).
 */
const pngOf = new WeakMap<Uint8Array, Uint8Array>();

function keptPng(p: InputPixels): Uint8Array {
  let png = pngOf.get(p.rgba);
  if (!png) pngOf.set(p.rgba, (png = encodeRgbaPng(p.width, p.height, p.rgba)));
  return png;
}

function upscaledJson(e: UpscaledEntry, blob: BlobWriter): UpscaledEntryJson {
  return {
    id: e.id,
    createdAt: e.createdAt,
    source: e.source,
    sourceSeed: e.sourceSeed,
    srModel: e.srModel,
    pictures: e.pictures.map((p) => ({ layer: p.layer, width: p.width, height: p.height, png: blob.add(p.png) })),
  };
}

function contentJson(c: LayerContent, blob: BlobWriter): ContentJson {
  switch (c.kind) {
    case 'image':
      return { kind: 'image', pixels: blob.add(c.plane.data) };
    case 'segmentation':
      return { kind: 'segmentation', classes: blob.add(c.plane.data) };
    case 'boxes':
      return { kind: 'boxes', boxes: c.boxes.map((b) => ({ id: b.id, x0: b.x0, y0: b.y0, x1: b.x1, y1: b.y1, label: b.label })) };
    case 'text':
      return { kind: 'text', text: c.text };
    case 'palette':
      return { kind: 'palette', swatches: c.swatches.map((s) => [s[0], s[1], s[2]]) };
    case 'reference':
      return { kind: 'reference', ids: c.ids ? Array.from(c.ids) : null, source: c.source, thumbnail: c.thumbnail ? blob.add(c.thumbnail) : null };
  }
}

/** Little-endian regardless of the host, so files move between machines. */
function addInt32(blob: BlobWriter, ids: Int32Array): ChunkRef {
  const bytes = new Uint8Array(ids.length * 4);
  const view = new DataView(bytes.buffer);
  ids.forEach((v, i) => view.setInt32(i * 4, v, true));
  return blob.add(bytes);
}
