import { describe, expect, it } from 'vitest';
import { paintPixels, setMask } from '../../../../renderer/src/document/commands';
import { createDocument } from '../../../../renderer/src/document/create';
import { restoreProject } from '../../../../renderer/src/document/project/restore';
import { saveProject } from '../../../../renderer/src/document/project/save';
import { DocumentStore, type DocumentChange } from '../../../../renderer/src/document/store';
import type { Plane } from '../../../../renderer/src/document/types';
import { dabsAlong, stampDab, type Dab } from '../../../../renderer/src/tools/brush';
import { snapMaskToTokens } from '../../../../renderer/src/tools/regionMask';
import { testManifest } from './fixtures';

function plane(store: DocumentStore, id: string): Plane {
  const c = store.state.layers.get(id)?.content;
  if (!c || (c.kind !== 'image' && c.kind !== 'segmentation')) throw new Error('no plane');
  return c.plane;
}

describe('editor flow at the model grid (128×128, 16×16 tokens)', () => {
  it('a pen stroke is one undo step whose delta covers only the stroke bounds', () => {
    const store = new DocumentStore(createDocument(testManifest(128, 128, 16, 16)));
    const settings = { size: 10, hardness: 0.6, opacity: 1, spacing: 0.2, color: [250, 20, 20] };
    const points: Dab[] = [
      { x: 20, y: 20, pressure: 0.3 },
      { x: 40, y: 28, pressure: 0.8 },
      { x: 60, y: 30, pressure: 1 },
    ];
    store.beginStroke('Brush');
    let carry = 0;
    for (let i = 1; i < points.length; i++) {
      const from = points[i - 1];
      const to = points[i];
      if (!from || !to) continue;
      const run = dabsAlong(from, to, settings, carry);
      carry = run.carry;
      for (const dab of run.dabs) {
        const edit = stampDab(plane(store, 'rgb'), dab, settings);
        if (edit) store.apply(paintPixels(store.state, 'rgb', edit.rect, edit.after, 'Brush'), { history: 'record' });
      }
    }
    store.endStroke();
    expect(store.undoDepth).toBe(1);
    // Bounds ≈ 50×20 px × 3 channels × 2 sides, far below a whole 49 KB layer twice.
    expect(store.historyBytes).toBeLessThan(15_000);
    const painted = plane(store, 'rgb').data.slice();
    store.undo();
    expect(plane(store, 'rgb').data.every((v) => v === 0)).toBe(true);
    store.redo();
    expect(plane(store, 'rgb').data).toEqual(painted);
  });

  it('a painted region snaps to tokens, saves, and reopens into a fresh history', () => {
    const store = new DocumentStore(createDocument(testManifest(128, 128, 16, 16)));
    const px = new Uint8Array(128 * 128);
    for (let y = 10; y < 30; y++) px.fill(255, y * 128 + 10, y * 128 + 30);
    const tokens = snapMaskToTokens(px, { width: 128, height: 128, cols: 16, rows: 16 }, 0.5);
    store.apply(setMask(store.state, 'rgb', tokens), { history: 'record' });
    // Pixels 10..29 cover cells 1..3 at ≥ 50% (cell 1: 8–15 has 6/8; cell 3: 24–31 has 6/8).
    const selected = [...tokens.keys()].filter((i) => tokens[i]).map((i) => [i % 16, Math.floor(i / 16)]);
    expect(selected).toEqual([1, 2, 3].flatMap((r) => [1, 2, 3].map((c) => [c, r])));
    const bytes = saveProject(store.state);
    const changes: DocumentChange[] = [];
    store.subscribe((c) => changes.push(c));
    store.replace(restoreProject(bytes));
    expect(store.canUndo).toBe(false);
    expect(changes[0]?.source).toBe('replace');
    expect(changes[0]?.layers.size).toBe(6);
    expect(store.state.layers.get('rgb')?.mask).toEqual(tokens);
  });
});
