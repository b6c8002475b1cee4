import { describe, expect, test } from 'vitest';
import { acceptResult, addGalleryEntry, ContentRevisions, createDocument, DocumentStore, makeGalleryEntry, paintPixels, setLayerProps, setText } from '../../../../renderer/src/document';
import { testManifest } from './fixtures';

describe('content revisions: did a layer a job read change before its result was accepted?', () => {
  test('content edits, their undo and a replaced document count; role, lock and other layers do not', () => {
    const store = new DocumentStore(createDocument(testManifest()));
    const revisions = new ContentRevisions(store);
    const read = revisions.snapshot(['semseg', 'caption']);
    store.apply(setLayerProps(store.state, 'semseg', { role: 'condition' }), { history: 'record' });
    store.apply(setLayerProps(store.state, 'caption', { locked: true }), { history: 'record' });
    store.apply(paintPixels(store.state, 'rgb', { x: 0, y: 0, w: 1, h: 1 }, Uint8Array.of(1, 2, 3)), { history: 'record' });
    expect(revisions.changedSince(read)).toEqual([]);

    store.apply(paintPixels(store.state, 'semseg', { x: 0, y: 0, w: 1, h: 1 }, Uint8Array.of(1)), { history: 'record' });
    expect(revisions.changedSince(read)).toEqual(['semseg']);
    // Undone, the pixels are as they were, but the count moved on: the safe side (stale, never a false "in sync").
    store.undo();
    expect(revisions.changedSince(read)).toEqual(['semseg']);

    const text = revisions.snapshot(['caption']);
    store.apply(setLayerProps(store.state, 'caption', { locked: false }), { history: 'record' });
    store.apply(setText(store.state, 'caption', 'a red cube'), { history: 'record' });
    expect(revisions.changedSince(text)).toEqual(['caption']);

    const all = revisions.snapshot(['rgb', 'det']);
    store.replace(createDocument(testManifest()));
    expect(revisions.changedSince(all)).toEqual(['rgb', 'det']);
  });

  test('a result accepted as stale says so on its layers; by default it is in sync', () => {
    const store = new DocumentStore(createDocument(testManifest()));
    const entry = makeGalleryEntry({ id: 'e', createdAt: '2026-01-01T00:00:00Z', request: {}, outputs: { caption: { content: { kind: 'text', text: 'a cube' }, tokens: null } } });
    store.apply(addGalleryEntry(store.state, entry), { history: 'record' });
    store.apply(acceptResult(store.state, 'e', { derivedFrom: ['rgb'], stale: true }), { history: 'record' });
    expect(store.state.layers.get('caption')).toMatchObject({ sync: 'stale', derivedFrom: ['rgb'] });
    store.undo();
    expect(store.state.layers.get('caption')?.sync).toBe('empty');
    store.apply(acceptResult(store.state, 'e', { derivedFrom: ['rgb'] }), { history: 'record' });
    expect(store.state.layers.get('caption')?.sync).toBe('in-sync');
  });
});
