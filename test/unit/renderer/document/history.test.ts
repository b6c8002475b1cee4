import { describe, expect, it } from 'vitest';
import { acceptResult, addGalleryEntry, CommandError, paintPixels, removeGalleryEntry } from '../../../../renderer/src/document/commands';
import { createDocument } from '../../../../renderer/src/document/create';
import { History, makeEntry } from '../../../../renderer/src/document/history';
import { DocumentStore } from '../../../../renderer/src/document/store';
import type { GalleryEntry, Plane } from '../../../../renderer/src/document/types';
import { stampDab } from '../../../../renderer/src/tools/brush';
import { filled, testManifest } from './fixtures';

function rgbPlane(store: DocumentStore): Plane {
  const c = store.state.layers.get('rgb')?.content;
  if (c?.kind !== 'image') throw new Error('no rgb');
  return c.plane;
}

describe('stroke coalescing', () => {
  it('folds a stroke of overlapping dabs into one entry that undoes exactly', () => {
    const store = new DocumentStore(createDocument(testManifest()));
    store.apply(paintPixels(store.state, 'rgb', { x: 0, y: 0, w: 32, h: 32 }, filled(32 * 32 * 3, 40)), { history: 'record' });
    const before = rgbPlane(store).data.slice();
    store.beginStroke('Brush');
    const settings = { size: 6, hardness: 0.5, opacity: 0.7, spacing: 0.25, color: [255, 0, 0] };
    for (let x = 4; x <= 20; x += 2) {
      const edit = stampDab(rgbPlane(store), { x, y: 10 + (x % 3), pressure: 1 }, settings);
      if (edit) store.apply(paintPixels(store.state, 'rgb', edit.rect, edit.after, 'Brush'), { history: 'record' });
    }
    store.endStroke();
    const after = rgbPlane(store).data.slice();
    expect(store.undoDepth).toBe(2);
    expect(store.undoLabel).toBe('Brush');
    store.undo();
    expect(rgbPlane(store).data).toEqual(before);
    store.redo();
    expect(rgbPlane(store).data).toEqual(after);
  });

  it('keeps one pixels delta per layer sized to the stroke bounds', () => {
    const store = new DocumentStore(createDocument(testManifest()));
    store.beginStroke('Brush');
    store.apply(paintPixels(store.state, 'depth', { x: 0, y: 0, w: 2, h: 2 }, filled(4, 9)), { history: 'record' });
    store.apply(paintPixels(store.state, 'depth', { x: 5, y: 5, w: 2, h: 2 }, filled(4, 9)), { history: 'record' });
    store.endStroke();
    // Union rect 7×7 = 49 bytes each side, plus small fixed overheads.
    expect(store.historyBytes).toBeGreaterThanOrEqual(98);
    expect(store.historyBytes).toBeLessThan(98 + 400);
  });

  it('an empty stroke leaves no entry, and undo closes an open stroke', () => {
    const store = new DocumentStore(createDocument(testManifest()));
    store.beginStroke('Brush');
    store.endStroke();
    expect(store.canUndo).toBe(false);
    store.beginStroke('Brush');
    store.apply(paintPixels(store.state, 'depth', { x: 0, y: 0, w: 1, h: 1 }, filled(1, 9)), { history: 'record' });
    expect(store.undo()).toBe(true);
    expect(store.inStroke).toBe(false);
    expect(store.canRedo).toBe(true);
  });
});

describe('memory budget', () => {
  it('drops the oldest entries past the budget', () => {
    const store = new DocumentStore(createDocument(testManifest()), { historyBudgetBytes: 2000 });
    for (let i = 0; i < 10; i++) {
      // 8×8 RGB = 192 bytes each side → ~450 bytes an entry.
      store.apply(paintPixels(store.state, 'rgb', { x: 0, y: 0, w: 8, h: 8 }, filled(192, i + 1)), { history: 'record' });
    }
    expect(store.historyBytes).toBeLessThanOrEqual(2000);
    expect(store.undoDepth).toBe(4);
    while (store.undo());
    // The oldest surviving entry rewinds to value 6, the state before entry 7 of 10.
    expect(rgbPlane(store).data[0]).toBe(6);
  });

  it('keeps a single entry larger than the budget', () => {
    const h = new History(10);
    h.push(makeEntry('big', [{ type: 'text', layer: 'c', before: '', after: 'x'.repeat(100) }]));
    expect(h.undoDepth).toBe(1);
    h.push(makeEntry('big2', [{ type: 'text', layer: 'c', before: '', after: 'y'.repeat(100) }]));
    expect(h.undoDepth).toBe(1);
    expect(h.peekUndo()?.label).toBe('big2');
  });

  it('counts redo entries and frees them on a new edit', () => {
    const h = new History(1_000_000);
    h.push(makeEntry('a', [{ type: 'text', layer: 'c', before: '', after: 'a' }]));
    const one = h.bytes;
    h.takeUndo();
    expect(h.bytes).toBe(one);
    h.push(makeEntry('b', [{ type: 'text', layer: 'c', before: '', after: 'b' }]));
    expect(h.redoDepth).toBe(0);
    expect(h.bytes).toBe(one);
  });
});

describe('accepting a generation result', () => {
  function entry(): GalleryEntry {
    return {
      id: 'g1',
      createdAt: '2026-11-26T22:00:00.000Z',
      request: { seed: 7, targets: ['rgb', 'caption'] },
      accepted: false,
      outputs: {
        rgb: { content: { kind: 'image', plane: { width: 32, height: 32, channels: 3, data: filled(32 * 32 * 3, 77) } }, tokens: new Int32Array(16).fill(5) },
        caption: { content: { kind: 'text', text: 'a blue sphere' }, tokens: Int32Array.of(1, 2, 3) },
      },
    };
  }

  it('replaces content and tokens in one undoable step and marks dependents stale', () => {
    const store = new DocumentStore(createDocument(testManifest()));
    store.state.layers.get('depth')!.sync = 'in-sync';
    store.apply(addGalleryEntry(store.state, entry()), { history: 'skip' });
    store.apply(acceptResult(store.state, 'g1', { derivedFrom: ['semseg'] }), { history: 'record' });
    const rgb = store.state.layers.get('rgb');
    expect(rgbPlane(store).data.every((v) => v === 77)).toBe(true);
    expect(rgb?.tokens?.agree).toBe(true);
    expect(Array.from(rgb?.tokens?.ids ?? [])).toEqual(new Array(16).fill(5));
    expect(rgb?.sync).toBe('in-sync');
    expect(rgb?.derivedFrom).toEqual(['semseg']);
    expect(store.state.layers.get('caption')?.content).toEqual({ kind: 'text', text: 'a blue sphere' });
    expect(store.state.layers.get('depth')?.sync).toBe('stale');
    expect(store.state.gallery[0]?.accepted).toBe(true);
    expect(store.undoDepth).toBe(1);

    store.undo();
    expect(rgbPlane(store).data.every((v) => v === 0)).toBe(true);
    expect(store.state.layers.get('rgb')?.tokens).toBeNull();
    expect(store.state.layers.get('rgb')?.sync).toBe('empty');
    expect(store.state.layers.get('depth')?.sync).toBe('in-sync');
    expect(store.state.gallery[0]?.accepted).toBe(false);
  });

  it('does not mark the result\'s own conditions stale (layers derived both ways)', () => {
    const store = new DocumentStore(createDocument(testManifest()));
    store.state.layers.get('depth')!.sync = 'in-sync';
    store.state.layers.get('semseg')!.sync = 'in-sync'; // semseg is derivedFrom rgb in the fixture
    store.apply(addGalleryEntry(store.state, entry()), { history: 'skip' });
    store.apply(acceptResult(store.state, 'g1', { derivedFrom: ['semseg'] }), { history: 'record' });
    expect(store.state.layers.get('semseg')?.sync).toBe('in-sync');
    expect(store.state.layers.get('depth')?.sync).toBe('stale');
  });

  it('accepts a subset of outputs, and rejects mismatched results', () => {
    const store = new DocumentStore(createDocument(testManifest()));
    store.apply(addGalleryEntry(store.state, entry()), { history: 'record' });
    store.apply(acceptResult(store.state, 'g1', { layers: ['caption'] }), { history: 'record' });
    expect(rgbPlane(store).data[0]).toBe(0);
    expect(store.undoLabel).toBe('Accept result');
    expect(acceptResult(store.state, 'g1', { layers: ['caption'], label: 'Use Caption (seed 7) from the gallery' }).label).toBe('Use Caption (seed 7) from the gallery');
    expect(() => acceptResult(store.state, 'g1', { layers: ['depth'] })).toThrow(/no output "depth"/);
    const bad: GalleryEntry = { ...entry(), id: 'g2', outputs: { depth: { content: { kind: 'text', text: '' }, tokens: null } } };
    expect(() => addGalleryEntry(store.state, bad)).toThrow(CommandError);
    store.apply(removeGalleryEntry(store.state, 'g1'), { history: 'record' });
    expect(store.state.gallery).toHaveLength(0);
    store.undo();
    expect(store.state.gallery[0]?.id).toBe('g1');
  });
});
