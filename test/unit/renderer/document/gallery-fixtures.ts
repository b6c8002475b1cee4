// Two results of one job, one of them on the canvas, and an upscale of it: what the gallery
// removal tests (document core and autosave) start from. DOM-free, like the document core.
import { acceptResult, addGalleryEntry, addUpscaledEntry } from '../../../../renderer/src/document/commands';
import { createDocument } from '../../../../renderer/src/document/create';
import { DocumentStore, type DocumentChange } from '../../../../renderer/src/document/store';
import type { GalleryOutput, InputPixels, UpscaledEntry } from '../../../../renderer/src/document/types';
import { filled, testManifest } from './fixtures';

export const REF = `sha256:${'cd'.repeat(32)}`;
export const sketch: InputPixels = { width: 32, height: 32, rgba: Uint8Array.from({ length: 32 * 32 * 4 }, (_, i) => (i >> 6) % 3 ? 40 : 200) };
const rgb = (v: number): GalleryOutput => ({ content: { kind: 'image', plane: { width: 32, height: 32, channels: 3, data: filled(32 * 32 * 3, v) } }, tokens: Int32Array.from({ length: 16 }, (_, i) => i + v) });
const PNG = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 64, 0, 0, 0, 64, 8, 2, 0, 0, 0, 1, 2, 3, 4);
export const upscaled = (id: string, source: string): UpscaledEntry => ({ id, createdAt: '2026-12-07T15:00:00.000Z', source, sourceSeed: 8, srModel: '4M-7-SR_L_CC12M', pictures: [{ layer: 'rgb', width: 64, height: 64, png: PNG }] });

/** Two results of one job (g2 on the canvas) and an upscale of g2. */
export function storeWithResults(): { store: DocumentStore; changes: DocumentChange[] } {
  const store = new DocumentStore(createDocument(testManifest()));
  const request = (seed: number) => ({ version: 1, modelId: 'test-model', seed, inputs: { semseg: { kind: 'image-pixels', ref: REF } } });
  for (const [id, seed] of [['g1', 7], ['g2', 8]] as const) {
    store.apply(addGalleryEntry(store.state, { id, createdAt: '2026-12-07T14:00:00.000Z', accepted: false, request: request(seed), outputs: { rgb: rgb(seed * 10) }, inputs: { [REF]: sketch } }), { history: 'record' });
  }
  store.apply(acceptResult(store.state, 'g2', { derivedFrom: ['semseg'] }), { history: 'record' });
  store.apply(addUpscaledEntry(store.state, upscaled('up-1', 'g2')), { history: 'record' });
  const changes: DocumentChange[] = [];
  store.subscribe((c) => changes.push(c));
  return { store, changes };
}
