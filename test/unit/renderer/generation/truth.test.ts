import { describe, expect, test } from 'vitest';
import type { GenerationVariation } from '../../../../preload/contract/generation-jobs';
import { acceptResult, addGalleryEntry, createDocument, DocumentStore, isOnCanvas, makeGalleryEntry, setText } from '../../../../renderer/src/document';
import { withoutMissing } from '../../../../renderer/src/generation/results';
import { humanize } from '../../../../renderer/src/model/layerLabels';
import { testManifest } from '../document/fixtures';

describe('human words', () => {
  test('modality ids in core and host messages become layer names', () => {
    const ids = ['tok_rgb@128', 'tok_semseg@128', 'caption'];
    expect(humanize('layer "tok_rgb@128" is locked', ids)).toBe('RGB is locked');
    expect(humanize('tok_semseg@128: result is 64×64, the layer is 128×128', ids)).toBe('Segmentation: result is 64×64, the layer is 128×128');
    expect(humanize('Recalled seed 3: caption → tok_rgb@128', ids)).toBe('Recalled seed 3: Caption → RGB');
  });
});

describe('state that tells the truth', () => {
  test('boxes without coordinates and empty palettes are dropped and said, never accepted as "in sync"', () => {
    const variation: GenerationVariation = {
      seed: 1,
      outputs: {
        det: { kind: 'sequence', tokens: [1, 2], text: 'cube sphere cube', boxes: [] },
        palette: { kind: 'sequence', tokens: [], text: '', palette: [] },
        caption: { kind: 'sequence', tokens: [3], text: 'a cube' },
      },
    };
    const { outputs, problems } = withoutMissing(
      {
        det: { content: { kind: 'boxes', boxes: [] }, tokens: null },
        palette: { content: { kind: 'palette', swatches: [] }, tokens: null },
        caption: { content: { kind: 'text', text: 'a cube' }, tokens: null },
      },
      variation,
      (id) => id.toUpperCase(),
    );
    expect(Object.keys(outputs)).toEqual(['caption']);
    expect(problems['det']).toBe('DET: the model produced no boxes with coordinates (the model wrote “cube sphere cube”); the layer was left as it was.');
    expect(problems['palette']).toMatch(/^PALETTE: the model produced no colours; /);
  });

  test('the gallery marks only what the layers hold now', () => {
    const store = new DocumentStore(createDocument(testManifest()));
    const entry = (id: string, text: string) => makeGalleryEntry({ id, createdAt: '2026-01-01T00:00:00Z', request: {}, outputs: { caption: { content: { kind: 'text', text }, tokens: null } } });
    store.apply(addGalleryEntry(store.state, entry('a', 'one')), { history: 'record' });
    store.apply(addGalleryEntry(store.state, entry('b', 'two')), { history: 'record' });
    store.apply(acceptResult(store.state, 'a'), { history: 'record' });
    store.apply(acceptResult(store.state, 'b'), { history: 'record' });
    const shown = () => store.state.gallery.filter((e) => isOnCanvas(store.state, e)).map((e) => e.id);
    expect(shown()).toEqual(['b']);
    store.apply(setText(store.state, 'caption', 'my own words'), { history: 'record' });
    expect(shown()).toEqual([]);
    store.undo();
    expect(shown()).toEqual(['b']);
  });
});
