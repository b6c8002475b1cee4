import { describe, expect, test } from 'vitest';
import { ContentRevisions, createDocument, DocumentStore, paintPixels, setLayerProps, type GalleryOutput } from '../../../../renderer/src/document';
import { currentItem, EMPTY_STAGING, showStaged, stagedChanges, stagedContent, stagedLayers, stageItems, stepStaging, type StagedItem } from '../../../../renderer/src/generation/staging';
import { testManifest } from '../document/fixtures';

const out = (text: string): GalleryOutput => ({ content: { kind: 'text', text }, tokens: null });
const item = (seed: number, layers: Record<string, string>): StagedItem => ({
  label: 'Generate',
  request: { seed },
  seed,
  outputs: Object.fromEntries(Object.entries(layers).map(([id, t]) => [id, out(t)])),
  conditions: ['semseg'],
  problems: {},
});

describe('staging', () => {
  test('a job’s variations are staged with the first shown; arrows wrap around', () => {
    const s = stageItems(EMPTY_STAGING, [item(1, { rgb: 'a' }), item(2, { rgb: 'b' }), item(3, { rgb: 'c' })]);
    expect(currentItem(s)?.seed).toBe(1);
    expect(currentItem(stepStaging(s, 1))?.seed).toBe(2);
    expect(currentItem(stepStaging(s, -1))?.seed).toBe(3);
    expect(currentItem(stepStaging(stepStaging(stepStaging(s, 1), 1), 1))?.seed).toBe(1);
  });

  test('a variation’s thumbnail shows that variation; an index off the strip changes nothing', () => {
    const s = stageItems(EMPTY_STAGING, [item(1, { rgb: 'a' }), item(2, { rgb: 'b' }), item(3, { rgb: 'c' })]);
    expect(currentItem(showStaged(s, 2))?.seed).toBe(3);
    expect(showStaged(s, 3)).toBe(s);
    expect(showStaged(s, -1)).toBe(s);
    expect(showStaged(EMPTY_STAGING, 0)).toBe(EMPTY_STAGING);
  });

  test('a later job joins the strip and is shown; the canvas shows the shown item’s outputs only', () => {
    let s = stageItems(EMPTY_STAGING, [item(1, { rgb: 'a' })]);
    s = stageItems(s, [item(7, { depth: 'd', caption: 'c' })]);
    expect(s.items).toHaveLength(2);
    expect(currentItem(s)?.seed).toBe(7);
    expect(stagedLayers(s)).toEqual(['depth', 'caption']);
    expect([...stagedContent(s).keys()]).toEqual(['depth', 'caption']);
    expect(stagedContent(stepStaging(s, 1)).get('rgb')).toEqual({ kind: 'text', text: 'a' });
  });

  test('nothing staged: nothing shown, stepping is a no-op', () => {
    expect(currentItem(EMPTY_STAGING)).toBeUndefined();
    expect(stagedLayers(EMPTY_STAGING)).toEqual([]);
    expect(stepStaging(EMPTY_STAGING, 1)).toBe(EMPTY_STAGING);
    expect(stageItems(EMPTY_STAGING, [])).toBe(EMPTY_STAGING);
  });

  test('a result waiting says what changed since it was made: a condition (older state) and a layer hidden under it (undo)', () => {
    const store = new DocumentStore(createDocument(testManifest()));
    const revisions = new ContentRevisions(store);
    const paint = (layer: string, v: number, channels: number) => store.apply(paintPixels(store.state, layer, { x: 0, y: 0, w: 1, h: 1 }, Uint8Array.from({ length: channels }, () => v)), { history: 'record' });
    paint('rgb', 1, 3); // an accepted picture, say
    const staged: StagedItem = { ...item(1, { rgb: 'x' }), read: revisions.snapshot(['semseg']), under: revisions.snapshot(['rgb']) };
    const changes = () => stagedChanges(staged, (s) => revisions.changedSince(s));
    expect(changes()).toEqual({ older: [], under: [] });
    store.apply(setLayerProps(store.state, 'semseg', { role: 'condition' }), { history: 'record' }); // not content
    expect(changes()).toEqual({ older: [], under: [] });
    paint('semseg', 2, 1); // the sketch painted after the job read it
    expect(changes()).toEqual({ older: ['semseg'], under: [] });
    store.undo();
    store.undo(); // the role change
    store.undo(); // the picture under the staged result
    expect(changes()).toEqual({ older: ['semseg'], under: ['rgb'] });
    // Items staged before these fields existed, and no item, say nothing.
    expect(stagedChanges(item(2, { rgb: 'y' }), (s) => revisions.changedSince(s))).toEqual({ older: [], under: [] });
    expect(stagedChanges(undefined, () => ['rgb'])).toEqual({ older: [], under: [] });
  });
});
