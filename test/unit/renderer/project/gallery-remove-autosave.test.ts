// Removing gallery and upscaled results tells autosave: each removal and its undo is written.
import { describe, expect, it } from 'vitest';
import { removeGalleryEntry, removeUpscaledEntry } from '../../../../renderer/src/document/commands';
import { restoreProject } from '../../../../renderer/src/document/project/restore';
import { AutosaveController } from '../../../../renderer/src/project/AutosaveController';
import type { AutosaveStorage } from '../../../../renderer/src/project/autosaveStorage';
import { storeWithResults } from '../document/gallery-fixtures';

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
