// Removing gallery results and upscaled results: one undoable step each, the layers untouched,
// and the document (kept pixels included) exactly back after undo (autosave: test/unit/renderer/project).
import { describe, expect, it } from 'vitest';
import { addUpscaledEntry, CommandError, removeGalleryEntry, removeUpscaledEntry } from '../../../../renderer/src/document/commands';
import { isOnCanvas } from '../../../../renderer/src/document/gallery';
import { restoreProject } from '../../../../renderer/src/document/project/restore';
import { saveProject } from '../../../../renderer/src/document/project/save';
import { REF, sketch, storeWithResults, upscaled } from './gallery-fixtures';

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
