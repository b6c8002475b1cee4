// A fresh document for a model manifest: one empty layer per modality.
import { documentManifestSchema, planeChannels, type DocumentManifest, type ModalityManifest } from './manifest';
import { createPlane } from './plane';
import type { DocumentState, Layer, LayerContent } from './types';

/** Class index 255 marks unlabeled pixels, so an empty segmentation is all 255. */
export const UNLABELED_CLASS = 255;

export function emptyContent(manifest: DocumentManifest, m: ModalityManifest): LayerContent {
  switch (m.kind) {
    case 'image':
      return { kind: 'image', plane: createPlane(manifest.width, manifest.height, planeChannels(m)) };
    case 'segmentation':
      return { kind: 'segmentation', plane: createPlane(manifest.width, manifest.height, 1, UNLABELED_CLASS) };
    case 'boxes':
      return { kind: 'boxes', boxes: [] };
    case 'text':
      return { kind: 'text', text: '' };
    case 'palette':
      return { kind: 'palette', swatches: [] };
    case 'reference':
      return { kind: 'reference', ids: null, source: '', thumbnail: null };
  }
}

export function createLayer(manifest: DocumentManifest, m: ModalityManifest): Layer {
  return {
    id: m.id,
    kind: m.kind,
    content: emptyContent(manifest, m),
    visible: true,
    opacity: 1,
    locked: false,
    role: 'ignore',
    sync: 'empty',
    derivedFrom: m.derivedFrom ?? [],
    mask: null,
    tokens: null,
  };
}

/** Throws a zod error on a bad manifest; manifests come from validated model packages. */
export function createDocument(manifest: DocumentManifest): DocumentState {
  const valid = documentManifestSchema.parse(manifest);
  const ids = new Set<string>();
  for (const m of valid.modalities) {
    if (ids.has(m.id)) throw new Error(`manifest.modalities: duplicate id "${m.id}"`);
    ids.add(m.id);
  }
  const layers = new Map(valid.modalities.map((m) => [m.id, createLayer(valid, m)] as const));
  return { manifest: valid, layers, gallery: [], upscaled: [] };
}

export function tokenCount(manifest: DocumentManifest): number {
  return manifest.tokenCols * manifest.tokenRows;
}
