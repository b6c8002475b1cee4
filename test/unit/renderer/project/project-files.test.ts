import { describe, expect, test } from 'vitest';
import { createDocument, DocumentStore, paintPixels, saveProject } from '../../../../renderer/src/document';
import { AutosaveController, findRecoverable } from '../../../../renderer/src/project/AutosaveController';
import type { AutosaveStorage, StoredAutosave } from '../../../../renderer/src/project/autosaveStorage';
import { discardQuestion, windowTitle } from '../../../../renderer/src/project/title';
import { shortcutFor, type KeyLike } from '../../../../renderer/src/state/shortcuts';
import { testManifest } from '../document/fixtures';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

test('Ctrl+S saves, Ctrl+Shift+S saves as, Ctrl+O opens (Cmd too)', () => {
  expect(shortcutFor(key('s', { ctrlKey: true }))).toEqual({ type: 'save' });
  expect(shortcutFor(key('S', { ctrlKey: true, shiftKey: true }))).toEqual({ type: 'save-as' });
  expect(shortcutFor(key('S', { metaKey: true, shiftKey: true }))).toEqual({ type: 'save-as' });
  expect(shortcutFor(key('o', { ctrlKey: true }))).toEqual({ type: 'open' });
  expect(shortcutFor(key('o', { ctrlKey: true, altKey: true }))).toBeNull();
});

test('the title shows the project and unsaved changes; the guard asks only when dirty', () => {
  expect(windowTitle('scene', false)).toBe('scene — 4M Studio');
  expect(windowTitle('scene', true)).toBe('• scene — 4M Studio');
  expect(windowTitle('', false)).toBe('untitled — 4M Studio');
  expect(discardQuestion('scene', false)).toBeNull();
  expect(discardQuestion('scene', true)).toMatch(/"scene" has unsaved changes/);
  // A result waiting for Accept is in no file either.
  expect(discardQuestion('scene', false, true)).toBe('"scene" has a generated result not yet accepted. Discard it?');
  expect(discardQuestion('scene', true, true)).toBe('"scene" has unsaved changes and a generated result not yet accepted. Discard them?');
});

function memoryStorage(initial: StoredAutosave | null = null): AutosaveStorage & { record: StoredAutosave | null; writes: number } {
  const s = {
    record: initial,
    writes: 0,
    async write(bytes: Uint8Array, savedAt: number) {
      s.writes++;
      s.record = { bytes, savedAt, explicitSavedAt: s.record?.explicitSavedAt ?? null, projectPath: '/p/a.4mproj' };
    },
    read: async () => s.record,
    clear: async () => void (s.record = null),
    markExplicitSave: async () => undefined,
  };
  return s;
}

describe('AutosaveController over a storage', () => {
  test('recorded edits are written after the debounce; an explicit save clears the copy', async () => {
    const store = new DocumentStore(createDocument(testManifest()));
    const storage = memoryStorage();
    const controller = new AutosaveController(store, storage, (m) => expect.fail(m), { debounceMs: 5, maxWaitMs: 50 });
    store.apply(paintPixels(store.state, 'rgb', { x: 0, y: 0, w: 1, h: 1 }, Uint8Array.of(9, 9, 9)), { history: 'record' });
    await expect.poll(() => storage.writes).toBe(1);
    expect(Buffer.from(storage.record?.bytes ?? []).equals(Buffer.from(saveProject(store.state)))).toBe(true);
    await controller.savedExplicitly();
    expect(storage.record).toBeNull();
    controller.dispose();
  });

  test('recovery is offered for an autosave newer than the file, with its project path', async () => {
    const bytes = saveProject(createDocument(testManifest()));
    const newer = await findRecoverable(memoryStorage({ bytes, savedAt: 200, explicitSavedAt: 100, projectPath: '/p/a.4mproj' }));
    expect(newer).toMatchObject({ savedAt: 200, projectPath: '/p/a.4mproj' });
    const stale = memoryStorage({ bytes, savedAt: 100, explicitSavedAt: 200, projectPath: null });
    expect(await findRecoverable(stale)).toBeNull();
    expect(stale.record).toBeNull(); // the stale copy is deleted
    expect(await findRecoverable(memoryStorage({ bytes: Uint8Array.of(1), savedAt: 1, explicitSavedAt: null, projectPath: null }))).toMatchObject({
      error: expect.stringMatching(/could not be read \(not a 4M Studio project/),
    });
    const failing = { ...memoryStorage(), read: () => Promise.reject(new Error('disk on fire')) };
    expect(await findRecoverable(failing)).toEqual({ error: 'The autosaved copy could not be read (disk on fire).' });
  });
});

describe('the renderer validates what either transport answers', async () => {
  const { validatedProjects } = await import('../../../../renderer/src/services/projects');

  test('well-formed answers pass; malformed or failing ones become invalid-request errors', async () => {
    const good = validatedProjects(async () => ({ ok: true, value: [] }));
    expect(await good.call('project:recent', {})).toEqual({ ok: true, value: [] });
    const odd = validatedProjects(async () => ({ ok: true, value: [{ path: 3 }] }));
    expect(await odd.call('project:recent', {})).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringMatching(/^project:recent: unexpected answer/) } });
    const down = validatedProjects(() => Promise.reject(new Error('HTTP 500')));
    expect(await down.call('autosave:clear', {})).toEqual({ ok: false, error: { code: 'invalid-request', message: 'autosave:clear failed: HTTP 500' } });
  });
});
