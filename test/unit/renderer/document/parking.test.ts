import { describe, expect, it } from 'vitest';
import { paintPixels } from '../../../../renderer/src/document/commands';
import { createDocument } from '../../../../renderer/src/document/create';
import { History, makeEntry } from '../../../../renderer/src/document/history';
import { ParkedDocuments } from '../../../../renderer/src/document/parking';
import { DocumentStore } from '../../../../renderer/src/document/store';
import type { Plane } from '../../../../renderer/src/document/types';
import { filled, testManifest } from './fixtures';

const rgb = (store: DocumentStore): Plane => {
  const c = store.state.layers.get('rgb')?.content;
  if (c?.kind !== 'image') throw new Error('no rgb');
  return c.plane;
};
/** One 2×2 RGB step (12 bytes each way). */
const paint = (store: DocumentStore, v: number, label = `Paint ${v}`): void =>
  store.apply(paintPixels(store.state, 'rgb', { x: 0, y: 0, w: 2, h: 2 }, filled(2 * 2 * 3, v), label), { history: 'record' });

describe('a document parked by a model switch keeps its history', () => {
  it('comes back with undo, redo and their labels, undoing to the exact pixels', () => {
    const store = new DocumentStore(createDocument(testManifest()));
    const blank = rgb(store).data.slice();
    paint(store, 10, 'Brush');
    paint(store, 20, 'Fill');
    store.undo();
    const lot = new ParkedDocuments<string>();
    lot.park('model-a', store.park(), 'project a');
    const back = lot.take('model-a');
    if (!back) throw new Error('not parked');
    expect(back.meta).toBe('project a');
    expect(lot.has('model-a')).toBe(false);
    const resumed = DocumentStore.resume(back.store);
    expect(resumed.undoLabel).toBe('Brush');
    expect(resumed.redoLabel).toBe('Fill');
    expect(resumed.undo()).toBe(true);
    expect(rgb(resumed).data).toEqual(blank);
    resumed.redo();
    resumed.redo();
    expect(rgb(resumed).data.slice(0, 3)).toEqual(filled(3, 20));
  });

  it('closes an open stroke into one step before parking', () => {
    const store = new DocumentStore(createDocument(testManifest()));
    store.beginStroke('Brush');
    paint(store, 1);
    paint(store, 2);
    const resumed = DocumentStore.resume(store.park());
    expect(resumed.inStroke).toBe(false);
    expect(resumed.undoDepth).toBe(1);
    expect(resumed.undoLabel).toBe('Brush');
  });

  it('keeps the saved marker: the title\'s unsaved mark reads the same after coming back', () => {
    const store = new DocumentStore(createDocument(testManifest()));
    paint(store, 1);
    store.markSaved();
    paint(store, 2);
    const resumed = DocumentStore.resume(store.park());
    expect(resumed.atSavedState).toBe(false);
    resumed.undo();
    expect(resumed.atSavedState).toBe(true); // back where it was saved
    resumed.undo();
    expect(resumed.atSavedState).toBe(false);

    const recovered = new DocumentStore(createDocument(testManifest()));
    recovered.markUnsaved(); // work no file holds stays unsaved across the switch
    expect(DocumentStore.resume(recovered.park()).atSavedState).toBe(false);
  });

  it('the store left behind refuses late edits rather than touching the parked document', () => {
    const store = new DocumentStore(createDocument(testManifest()));
    paint(store, 1);
    const parked = store.park();
    expect(() => paint(store, 2)).toThrow(/put aside for another model/);
    expect(store.canUndo).toBe(false);
    expect(store.undo()).toBe(false);
    expect(parked.history.undoDepth).toBe(1);
    expect(rgb(DocumentStore.resume(parked)).data.slice(0, 3)).toEqual(filled(3, 1));
  });
});

describe('parked histories share a budget of their own', () => {
  it('trims the document parked longest ago first, oldest steps first, keeping each one\'s newest step', () => {
    const lot = new ParkedDocuments<null>(100);
    const a = new DocumentStore(createDocument(testManifest()));
    for (let v = 1; v <= 4; v++) paint(a, v);
    const b = new DocumentStore(createDocument(testManifest()));
    for (let v = 1; v <= 4; v++) paint(b, v);
    const stepBytes = a.historyBytes / 4;
    expect(stepBytes).toBeGreaterThan(20); // a 2×2 step, before and after, is over 100 / 4 bytes
    const pa = a.park();
    lot.park('a', pa, null);
    expect(pa.history.undoDepth).toBeLessThan(4); // alone over budget: trimmed
    const pb = b.park();
    lot.park('b', pb, null);
    expect(pa.history.undoDepth).toBe(1); // a, parked first, gave up all but its newest step
    expect(pb.history.undoDepth).toBeGreaterThanOrEqual(1);
    expect(pb.history.undoDepth).toBeGreaterThanOrEqual(pa.history.undoDepth);
    // A fully trimmed document still undoes its newest step exactly and reads unsaved after (its older edits stay in it).
    const resumed = DocumentStore.resume(lot.take('a')?.store ?? pa);
    expect(resumed.undoLabel).toBe('Paint 4');
    resumed.undo();
    expect(rgb(resumed).data.slice(0, 3)).toEqual(filled(3, 3));
    expect(resumed.canUndo).toBe(false);
    expect(resumed.atSavedState).toBe(false);
  });

  it('a trimmed history that was saved at its newest step still reads saved', () => {
    const lot = new ParkedDocuments<null>(1);
    const store = new DocumentStore(createDocument(testManifest()));
    for (let v = 1; v <= 3; v++) paint(store, v);
    store.markSaved();
    lot.park('a', store.park(), null);
    const back = lot.take('a');
    if (!back) throw new Error('not parked');
    expect(DocumentStore.resume(back.store).atSavedState).toBe(true);
  });

  it('History.trimTo drops redo entries after the old undo ones, and only undo drops count as evicted', () => {
    const h = new History();
    for (let i = 0; i < 3; i++) h.push(makeEntry(`e${i}`, [{ type: 'text', layer: 'caption', before: 'a', after: 'b' }]));
    h.takeUndo(); // undo: e0 e1; redo: e2
    const one = h.bytes / 3;
    h.trimTo(one * 2);
    expect([h.undoDepth, h.redoDepth, h.dropped]).toEqual([1, 1, 1]); // e0 went first
    h.trimTo(0);
    expect([h.undoDepth, h.redoDepth, h.dropped]).toEqual([1, 0, 1]); // then e2; e1, the newest step, stays
    expect(h.peekUndo()?.label).toBe('e1');
  });
});
