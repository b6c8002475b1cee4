import { describe, expect, it } from 'vitest';
import { createDocument } from '../../../../renderer/src/document/create';
import { CommandError, paintPixels, setBoxes, setLayerProps, setMask, setPalette, setText } from '../../../../renderer/src/document/commands';
import { DocumentStore, type DocumentChange } from '../../../../renderer/src/document/store';
import type { Plane } from '../../../../renderer/src/document/types';
import { filled, testManifest } from './fixtures';

function setup(budget?: number) {
  const store = new DocumentStore(createDocument(testManifest()), budget ? { historyBudgetBytes: budget } : {});
  const plane = (id: string): Plane => {
    const c = store.state.layers.get(id)?.content;
    if (!c || (c.kind !== 'image' && c.kind !== 'segmentation')) throw new Error('no plane');
    return c.plane;
  };
  return { store, plane };
}

describe('DocumentStore apply / undo / redo', () => {
  it('restores identical bytes after undo and redo of pixel edits', () => {
    const { store, plane } = setup();
    const start = plane('rgb').data.slice();
    store.apply(paintPixels(store.state, 'rgb', { x: 2, y: 3, w: 5, h: 4 }, filled(5 * 4 * 3, 200)), { history: 'record' });
    store.apply(paintPixels(store.state, 'rgb', { x: 4, y: 4, w: 10, h: 2 }, filled(10 * 2 * 3, 7)), { history: 'record' });
    const end = plane('rgb').data.slice();
    expect(end).not.toEqual(start);
    expect(store.undo()).toBe(true);
    expect(store.undo()).toBe(true);
    expect(plane('rgb').data).toEqual(start);
    expect(store.undo()).toBe(false);
    store.redo();
    store.redo();
    expect(plane('rgb').data).toEqual(end);
  });

  it('stores only the changed rectangle', () => {
    const { store } = setup();
    store.apply(paintPixels(store.state, 'rgb', { x: 0, y: 0, w: 2, h: 2 }, filled(12, 1)), { history: 'record' });
    // before + after of 12 bytes each plus small fixed overheads, not 2 × 32×32×3.
    expect(store.historyBytes).toBeLessThan(1000);
  });

  it('skip applies without history (previews)', () => {
    const { store, plane } = setup();
    store.apply(paintPixels(store.state, 'depth', { x: 0, y: 0, w: 1, h: 1 }, filled(1, 9)), { history: 'skip' });
    expect(plane('depth').data[0]).toBe(9);
    expect(store.canUndo).toBe(false);
  });

  it('a cancelled stroke is taken back whole (pixels and the layer\'s state) and leaves no undo step', () => {
    const { store, plane } = setup();
    store.apply(paintPixels(store.state, 'rgb', { x: 0, y: 0, w: 1, h: 1 }, filled(3, 5)), { history: 'record' });
    const before = store.state;
    const bytes = plane('rgb').data.slice();
    const changes: DocumentChange[] = [];
    store.subscribe((c) => changes.push(c));
    store.beginStroke('Paint object');
    store.apply(paintPixels(store.state, 'rgb', { x: 2, y: 2, w: 2, h: 2 }, filled(12, 200)), { history: 'record' });
    store.apply(paintPixels(store.state, 'rgb', { x: 3, y: 3, w: 2, h: 2 }, filled(12, 9)), { history: 'record' });
    store.cancelStroke();
    expect(plane('rgb').data).toEqual(bytes);
    expect(store.state.layers.get('rgb')?.sync).toBe(before.layers.get('rgb')?.sync);
    expect(store.undoDepth).toBe(1);
    expect(store.inStroke).toBe(false);
    // Recorded, so the unsaved mark and autosave follow it back.
    expect(changes.at(-1)).toMatchObject({ source: 'apply', recorded: true });
    store.cancelStroke(); // none open: nothing
    expect(store.undoDepth).toBe(1);
  });

  it('a new edit clears redo', () => {
    const { store } = setup();
    store.apply(setText(store.state, 'caption', 'a'), { history: 'record' });
    store.undo();
    expect(store.canRedo).toBe(true);
    store.apply(setText(store.state, 'caption', 'b'), { history: 'record' });
    expect(store.canRedo).toBe(false);
  });

  it('undoes structural edits: boxes, text, palette, props, mask', () => {
    const { store } = setup();
    const s = () => store.state.layers;
    store.apply(setBoxes(store.state, 'det', [{ id: 'b1', x0: 0.1, y0: 0.1, x1: 0.5, y1: 0.6, label: 'cat' }]), { history: 'record' });
    store.apply(setText(store.state, 'caption', 'a red cube'), { history: 'record' });
    store.apply(setPalette(store.state, 'palette', [[1, 2, 3]]), { history: 'record' });
    store.apply(setLayerProps(store.state, 'rgb', { role: 'condition', opacity: 0.5 }), { history: 'record' });
    store.apply(setMask(store.state, 'rgb', filled(16, 1)), { history: 'record' });
    expect(s().get('rgb')?.mask?.length).toBe(16);
    for (let i = 0; i < 5; i++) store.undo();
    expect(s().get('det')?.content).toEqual({ kind: 'boxes', boxes: [] });
    expect(s().get('caption')?.content).toEqual({ kind: 'text', text: '' });
    expect(s().get('palette')?.content).toEqual({ kind: 'palette', swatches: [] });
    expect(s().get('rgb')?.role).toBe('ignore');
    expect(s().get('rgb')?.opacity).toBe(1);
    expect(s().get('rgb')?.mask).toBeNull();
    for (let i = 0; i < 5; i++) store.redo();
    expect(s().get('caption')?.content).toEqual({ kind: 'text', text: 'a red cube' });
    expect(s().get('rgb')?.role).toBe('condition');
  });

  it('refuses edits to locked layers and out-of-bounds rects', () => {
    const { store } = setup();
    store.apply(setLayerProps(store.state, 'rgb', { locked: true }), { history: 'record' });
    expect(() => paintPixels(store.state, 'rgb', { x: 0, y: 0, w: 1, h: 1 }, filled(3, 1))).toThrow(CommandError);
    expect(() => paintPixels(store.state, 'depth', { x: 31, y: 0, w: 2, h: 1 }, filled(2, 1))).toThrow(/not inside/);
    expect(() => paintPixels(store.state, 'depth', { x: 0, y: 0, w: 2, h: 1 }, filled(3, 1))).toThrow(/expected 2 bytes/);
  });

  it('rolls back a partly failed update', () => {
    const { store, plane } = setup();
    const good = paintPixels(store.state, 'depth', { x: 0, y: 0, w: 1, h: 1 }, filled(1, 5));
    const bad = { label: 'bad', deltas: [...good.deltas, { type: 'text' as const, layer: 'missing', before: '', after: 'x' }] };
    expect(() => store.apply(bad, { history: 'record' })).toThrow(/no layer/);
    expect(plane('depth').data[0]).toBe(0);
    expect(store.canUndo).toBe(false);
  });

  it('notifies subscribers with changed layers and dirty rects', () => {
    const { store } = setup();
    const seen: DocumentChange[] = [];
    const off = store.subscribe((c) => seen.push(c));
    store.apply(paintPixels(store.state, 'rgb', { x: 1, y: 2, w: 3, h: 4 }, filled(36, 1)), { history: 'skip' });
    expect(seen[0]?.recorded).toBe(false);
    expect(seen[0]?.layers.has('rgb')).toBe(true);
    expect(seen[0]?.dirty.get('rgb')).toEqual({ x: 1, y: 2, w: 3, h: 4 });
    off();
    store.apply(setText(store.state, 'caption', 'x'), { history: 'record' });
    expect(seen).toHaveLength(1);
  });
});

describe('stale tracking and token agreement', () => {
  it('marks derived layers stale on edit, and undo restores in-sync', () => {
    const { store } = setup();
    store.state.layers.get('depth')!.sync = 'in-sync';
    store.apply(paintPixels(store.state, 'rgb', { x: 0, y: 0, w: 1, h: 1 }, filled(3, 1)), { history: 'record' });
    expect(store.state.layers.get('depth')?.sync).toBe('stale');
    expect(store.state.layers.get('semseg')?.sync).toBe('empty');
    expect(store.state.layers.get('rgb')?.sync).toBe('in-sync');
    store.undo();
    expect(store.state.layers.get('depth')?.sync).toBe('in-sync');
    expect(store.state.layers.get('rgb')?.sync).toBe('empty');
  });

  it('editing pixels clears the tokens-agree flag', () => {
    const { store } = setup();
    store.state.layers.get('rgb')!.tokens = { ids: new Int32Array(16), agree: true };
    store.apply(paintPixels(store.state, 'rgb', { x: 0, y: 0, w: 1, h: 1 }, filled(3, 1)), { history: 'record' });
    expect(store.state.layers.get('rgb')?.tokens?.agree).toBe(false);
    store.undo();
    expect(store.state.layers.get('rgb')?.tokens?.agree).toBe(true);
  });
});

describe('previews', () => {
  it('applyPreview changes the document without history and reverts exactly', () => {
    const { store, plane } = setup();
    const before = plane('rgb').data.slice();
    const revert = store.applyPreview(paintPixels(store.state, 'rgb', { x: 0, y: 0, w: 4, h: 4 }, filled(48, 99)));
    expect(plane('rgb').data[0]).toBe(99);
    expect(store.canUndo).toBe(false);
    revert();
    revert();
    expect(plane('rgb').data).toEqual(before);
    expect(store.state.layers.get('rgb')?.sync).toBe('empty');
  });
});

describe('state that tells the truth', () => {
  it('a hand edit makes a layer the artist’s own: never stale, and no cycle through it', () => {
    const { store } = setup();
    // A derived depth map, then edited by hand.
    store.state.layers.get('depth')!.sync = 'in-sync';
    store.apply(paintPixels(store.state, 'rgb', { x: 0, y: 0, w: 1, h: 1 }, filled(3, 1)), { history: 'record' });
    expect(store.state.layers.get('depth')?.sync).toBe('stale');
    store.apply(paintPixels(store.state, 'depth', { x: 0, y: 0, w: 1, h: 1 }, filled(1, 9)), { history: 'record' });
    expect(store.state.layers.get('depth')?.sync).toBe('in-sync');
    expect(store.state.layers.get('depth')?.derivedFrom).toEqual([]);
    // Editing RGB again no longer touches it.
    store.apply(paintPixels(store.state, 'rgb', { x: 1, y: 0, w: 1, h: 1 }, filled(3, 2)), { history: 'record' });
    expect(store.state.layers.get('depth')?.sync).toBe('in-sync');
    store.undo();
    store.undo();
    expect(store.state.layers.get('depth')?.sync).toBe('stale');
    expect(store.state.layers.get('depth')?.derivedFrom).toEqual(['rgb']);
  });

  it('a hand-written caption stays in sync while the picture changes', () => {
    const { store } = setup();
    store.apply(setText(store.state, 'caption', 'a red cube'), { history: 'record' });
    store.apply(paintPixels(store.state, 'rgb', { x: 0, y: 0, w: 1, h: 1 }, filled(3, 1)), { history: 'record' });
    expect(store.state.layers.get('caption')?.sync).toBe('in-sync');
  });
});

describe('DocumentStore saved state (the title’s unsaved mark)', () => {
  const paint = (store: DocumentStore, v: number) => store.apply(paintPixels(store.state, 'rgb', { x: 0, y: 0, w: 2, h: 2 }, filled(2 * 2 * 3, v)), { history: 'record' });

  it('undo and redo back to the saved or opened state read as saved; a new branch never does', () => {
    const { store } = setup();
    expect(store.atSavedState).toBe(true); // as opened
    paint(store, 1);
    expect(store.atSavedState).toBe(false);
    store.undo();
    expect(store.atSavedState).toBe(true);
    store.redo();
    store.markSaved();
    paint(store, 2);
    expect(store.atSavedState).toBe(false);
    store.undo();
    expect(store.atSavedState).toBe(true);
    store.undo();
    expect(store.atSavedState).toBe(false); // before the save
    paint(store, 3); // a new branch: the saved step is gone from redo
    store.undo();
    expect(store.atSavedState).toBe(false);
    store.replace(createDocument(testManifest()));
    expect(store.atSavedState).toBe(true);
  });

  it('an open stroke, unsaved work, and edits dropped for the budget are never "saved"', () => {
    const { store } = setup(2 * 2 * 3 * 2 * 2 + 10); // room for about two small strokes
    store.beginStroke('Paint');
    paint(store, 1);
    store.undo(); // closes the stroke first, then undoes it
    expect(store.atSavedState).toBe(true);
    store.beginStroke('Paint');
    paint(store, 1);
    expect(store.atSavedState).toBe(false);
    store.endStroke();
    for (let v = 2; v < 6; v++) paint(store, v);
    while (store.undo());
    expect(store.atSavedState).toBe(false); // the oldest edits were dropped: still in the document
    store.markSaved();
    expect(store.atSavedState).toBe(true);
    store.markUnsaved();
    expect(store.atSavedState).toBe(false);
    while (store.redo());
    while (store.undo());
    expect(store.atSavedState).toBe(false);
  });
});
