import { expect, test } from 'vitest';
import { createDocument, DocumentStore, paintPixels, setPalette, type DocumentState, type Update } from '../../../../renderer/src/document';
import { selectionOnOpen } from '../../../../renderer/src/state/openSelection';
import { testManifest } from '../document/fixtures';

const m = testManifest();
const blank = (): DocumentState => createDocument(m);
const edited = (doc: DocumentState, build: (d: DocumentState) => Update): DocumentState => {
  const store = new DocumentStore(doc);
  store.apply(build(store.state), { history: 'record' });
  return store.state;
};
const painted = (doc: DocumentState, id: string, channels: number): DocumentState =>
  edited(doc, (d) => paintPixels(d, id, { x: 0, y: 0, w: m.width, h: m.height }, new Uint8Array(m.width * m.height * channels).fill(1)));

test('New after working on the palette selects the first picture layer, not the empty palette (every tool greyed)', () => {
  expect(selectionOnOpen(blank(), 'palette')).toBe('rgb');
  expect(selectionOnOpen(blank(), 'caption')).toBe('rgb');
  expect(selectionOnOpen(blank(), 'gone')).toBe('rgb');
});

test('an empty picture layer stays selected when nothing is painted; an empty selection gives way to a painted picture', () => {
  expect(selectionOnOpen(blank(), 'semseg')).toBe('semseg');
  const sketch = painted(blank(), 'semseg', 1);
  expect(selectionOnOpen(sketch, 'rgb')).toBe('semseg');
  expect(selectionOnOpen(sketch, 'palette')).toBe('semseg');
});

test('a selection that holds something stays, whatever its kind', () => {
  const doc = edited(blank(), (d) => setPalette(d, 'palette', [[1, 2, 3]]));
  expect(selectionOnOpen(doc, 'palette')).toBe('palette');
});
