import { expect, test } from 'vitest';
import { createDocument, DocumentStore, paintPixels, saveProject } from '../../../../renderer/src/document';
import { AutosaveController } from '../../../../renderer/src/project/AutosaveController';
import type { AutosaveStorage, StoredAutosave } from '../../../../renderer/src/project/autosaveStorage';
import { testManifest } from '../document/fixtures';

function memoryStorage(initial: StoredAutosave | null): AutosaveStorage & { record: StoredAutosave | null; writes: number; explicit: number } {
  const s = {
    record: initial,
    writes: 0,
    explicit: 0,
    async write(bytes: Uint8Array, savedAt: number) {
      s.writes++;
      s.record = { bytes, savedAt, explicitSavedAt: null, projectPath: null };
    },
    read: async () => s.record,
    clear: async () => void (s.record = null),
    markExplicitSave: async () => void s.explicit++,
  };
  return s;
}

const paint = (store: DocumentStore, v: number): void => store.apply(paintPixels(store.state, 'rgb', { x: 0, y: 0, w: 1, h: 1 }, Uint8Array.of(v, v, v)), { history: 'record' });
const policy = { debounceMs: 5, maxWaitMs: 50 };
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 40));

test('held while a crash copy is on offer: edits, page hide and an explicit save leave the copy as it is', async () => {
  const crash = { bytes: Uint8Array.of(1, 2, 3), savedAt: 100, explicitSavedAt: null, projectPath: '/p/old.4mproj' };
  const storage = memoryStorage(crash);
  const store = new DocumentStore(createDocument(testManifest()));
  const controller = new AutosaveController(store, storage, (m) => expect.fail(m), policy);
  controller.hold();
  expect(controller.held).toBe(true);
  paint(store, 9);
  await settle();
  await controller.flush();
  await controller.savedExplicitly();
  expect(storage.record).toBe(crash);
  expect(storage.writes).toBe(0);
  expect(storage.explicit).toBe(0); // would have made the crash copy look older than a save
  controller.dispose();
});

test('Discard: the crash copy goes, then the work done meanwhile is autosaved', async () => {
  const storage = memoryStorage({ bytes: Uint8Array.of(1), savedAt: 100, explicitSavedAt: null, projectPath: null });
  const store = new DocumentStore(createDocument(testManifest()));
  const controller = new AutosaveController(store, storage, (m) => expect.fail(m), policy);
  controller.hold();
  paint(store, 7);
  await controller.release(true);
  expect(controller.held).toBe(false);
  expect(storage.writes).toBe(1);
  expect(Buffer.from(storage.record?.bytes ?? []).equals(Buffer.from(saveProject(store.state)))).toBe(true);
  // And later edits as before.
  paint(store, 8);
  await expect.poll(() => storage.writes).toBe(2);
  controller.dispose();
});

test('nothing to offer, or Recover: released without dropping; nothing pending writes nothing', async () => {
  const crash = { bytes: Uint8Array.of(1), savedAt: 100, explicitSavedAt: null, projectPath: null };
  const storage = memoryStorage(crash);
  const store = new DocumentStore(createDocument(testManifest()));
  const controller = new AutosaveController(store, storage, (m) => expect.fail(m), policy);
  controller.hold();
  await controller.release();
  expect(storage.record).toBe(crash);
  expect(storage.writes).toBe(0);
  paint(store, 3);
  await expect.poll(() => storage.writes).toBe(1);
  controller.dispose();
});

test('undone back to the saved state, the copy goes (the file holds that state: no recovery offer for it)', async () => {
  const storage = memoryStorage(null);
  const store = new DocumentStore(createDocument(testManifest()));
  const controller = new AutosaveController(store, storage, (m) => expect.fail(m), policy);
  paint(store, 1);
  store.markSaved(); // what an explicit save does (EditorState.markSaved), then the session's hook:
  await controller.savedExplicitly();
  paint(store, 2);
  await expect.poll(() => storage.writes).toBe(1);
  store.undo();
  await expect.poll(() => storage.record).toBeNull();
  store.markUnsaved(); // recovered work: written whatever the history says
  store.redo();
  store.undo();
  await expect.poll(() => storage.writes).toBe(2);
  controller.dispose();
});
