// Removing gallery results and upscaled results: one undoable step each, the layers untouched,
// autosave told, and the document (kept pixels included) exactly back after undo.
import { describe, expect, it } from 'vitest';
import { acceptResult, addGalleryEntry, addUpscaledEntry, CommandError, removeGalleryEntry, removeUpscaledEntry } from '../../../../renderer/src/document/commands';
import { createDocument } from '../../../../renderer/src/document/create';
import { isOnCanvas } from '../../../../renderer/src/document/gallery';
import { restoreProject } from '../../../../renderer/src/document/project/restore';
import { saveProject } from '../../../../renderer/src/document/project/save';
import { DocumentStore, type DocumentChange } from '../../../../renderer/src/document/store';
import type { GalleryOutput, InputPixels, UpscaledEntry } from '../../../../renderer/src/document/types';
import { AutosaveController } from '../../../../renderer/src/project/AutosaveController';
import type { AutosaveStorage } from '../../../../renderer/src/project/autosaveStorage';
import { filled, testManifest } from './fixtures';

const REF = `sha256:${'cd'.repeat(32)}`;
const sketch: InputPixels = { width: 32, height: 32, rgba: Uint8Array.from({ length: 32 * 32 * 4 }, (_, i) => (i >> 6) % 3 ? 40 : 200) };
const rgb = (v: number): GalleryOutput => ({ content: { kind: 'image', plane: { width: 32, height: 32, channels: 3, data: filled(32 * 32 * 3, v) } }, tokens: Int32Array.from({ length: 16 }, (_, i) => i + v) });
const PNG = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 64, 0, 0, 0, 64, 8, 2, 0, 0, 0, 1, 2, 3, 4);
const upscaled = (id: string, source: string): UpscaledEntry => ({ id, createdAt: '2026-12-07T15:00:00.000Z', source, sourceSeed: 8, srModel: '4M-7-SR_L_CC12M', pictures: [{ layer: 'rgb', width: 64, height: 64, png: PNG }] });

/** Two results of one job (g2 on the canvas) and an upscale of g2. */
function storeWithResults(): { store: DocumentStore; changes: DocumentChange[] } {
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

describe('removing a gallery result', () => {
  it('is one undoable step; the layers stay as they are, even for the result on the canvas', () => {
    const { store, changes } = storeWithResults();
    const before = structuredClone(store.state);
    const removed = store.state.gallery[1]!;
    expect(isOnCanvas(store.state, removed)).toBe(true);
    const depth = store.undoDepth;
    store.apply(removeGalleryEntry(store.state, 'g2', 'Remove result (seed 8)'), { history: 'record' });
    expect(store.state.gallery.map((e) => e.id)).toEqual(['g1']);
    expect(store.undoDepth).toBe(depth + 1);
    expect(store.undoLabel).toBe('Remove result (seed 8)');
    expect(store.state.layers).toEqual(before.layers); // pixels, tokens, sync, derivedFrom
    // Upscaled pictures are standalone: the upscale of the removed result stays.
    expect(store.state.upscaled.map((e) => e.id)).toEqual(['up-1']);
    expect(changes.at(-1)).toMatchObject({ source: 'apply', recorded: true, gallery: true, layers: new Set() });
  });

  it('undo brings it back exactly (its place, accepted flag, outputs, kept pixels); redo removes it again', () => {
    const { store, changes } = storeWithResults();
    const before = structuredClone(store.state);
    const inputs = store.state.gallery[1]!.inputs;
    store.apply(removeGalleryEntry(store.state, 'g2'), { history: 'record' });
    expect(store.undo()).toBe(true);
    expect(store.state).toEqual(before);
    expect(store.state.gallery[1]!.inputs).toBe(inputs);
    expect(isOnCanvas(store.state, store.state.gallery[1]!)).toBe(true);
    expect(store.redo()).toBe(true);
    expect(store.state.gallery.map((e) => e.id)).toEqual(['g1']);
    expect(store.undo()).toBe(true);
    expect(store.state).toEqual(before);
    expect(changes.map((c) => [c.source, c.recorded, c.gallery])).toEqual([
      ['apply', true, true],
      ['undo', true, true],
      ['redo', true, true],
      ['undo', true, true],
    ]);
  });

  it('a project saved after remove + undo is the project saved before (kept pixels as PNG, byte for byte)', () => {
    const { store } = storeWithResults();
    const before = saveProject(store.state);
    store.apply(removeGalleryEntry(store.state, 'g1'), { history: 'record' });
    const without = saveProject(store.state);
    expect(restoreProject(without).gallery.map((e) => e.id)).toEqual(['g2']);
    // g2 shares g1's sketch: the one PNG stays in the file.
    expect(restoreProject(without).gallery[0]!.inputs?.[REF]).toEqual(sketch);
    store.undo();
    expect(saveProject(store.state)).toEqual(before);
    expect(restoreProject(before)).toEqual(store.state);
  });

  it('an unknown id is refused with a CommandError naming it', () => {
    const { store } = storeWithResults();
    expect(() => removeGalleryEntry(store.state, 'nope')).toThrow(new CommandError('no gallery entry "nope"'));
  });
});

describe('removing an upscaled result', () => {
  it('is one undoable step; undo puts it back where it was, pictures and all; the gallery is untouched', () => {
    const { store } = storeWithResults();
    store.apply(addUpscaledEntry(store.state, upscaled('up-2', 'g1')), { history: 'record' });
    const before = structuredClone(store.state);
    store.apply(removeUpscaledEntry(store.state, 'up-1', 'Remove upscaled result (seed 8)'), { history: 'record' });
    expect(store.state.upscaled.map((e) => e.id)).toEqual(['up-2']);
    expect(store.state.gallery).toEqual(before.gallery);
    expect(store.undoLabel).toBe('Remove upscaled result (seed 8)');
    store.undo();
    expect(store.state).toEqual(before);
    expect(store.state.upscaled.map((e) => e.id)).toEqual(['up-1', 'up-2']);
    store.redo();
    expect(store.state.upscaled.map((e) => e.id)).toEqual(['up-2']);
    expect(() => removeUpscaledEntry(store.state, 'up-1')).toThrow(new CommandError('no upscaled entry "up-1"'));
  });
});

describe('autosave after a removal', () => {
  function memoryStorage(): AutosaveStorage & { writes: Uint8Array[] } {
    const writes: Uint8Array[] = [];
    const storage: AutosaveStorage & { writes: Uint8Array[] } = {
      writes,
      write: async (bytes: Uint8Array) => void writes.push(bytes),
      read: async () => null,
      clear: async () => undefined,
      markExplicitSave: async () => undefined,
    };
    return storage;
  }

  it('a removal and its undo each mark the document dirty and are written', async () => {
    const { store } = storeWithResults();
    const storage = memoryStorage();
    const controller = new AutosaveController(store, storage, (m) => expect.fail(m), { debounceMs: 5, maxWaitMs: 50 });
    store.apply(removeGalleryEntry(store.state, 'g2'), { history: 'record' });
    await expect.poll(() => storage.writes.length).toBe(1);
    expect(restoreProject(storage.writes[0]!).gallery.map((e) => e.id)).toEqual(['g1']);
    store.undo();
    await expect.poll(() => storage.writes.length).toBe(2);
    expect(restoreProject(storage.writes[1]!).gallery.map((e) => e.id)).toEqual(['g1', 'g2']);
    store.apply(removeUpscaledEntry(store.state, 'up-1'), { history: 'record' });
    await expect.poll(() => storage.writes.length).toBe(3);
    expect(restoreProject(storage.writes[2]!).upscaled).toEqual([]);
    controller.dispose();
  });
});
