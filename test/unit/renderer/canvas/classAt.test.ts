import { expect, test } from 'vitest';
import { createDocument, createPlane } from '../../../../renderer/src/document';
import { classAt } from '../../../../renderer/src/canvas/classAt';
import { testManifest } from '../document/fixtures';

function sketch() {
  const doc = createDocument(testManifest(4, 4, 2, 2));
  const seg = doc.layers.get('semseg');
  if (seg?.content.kind !== 'segmentation') throw new Error('fixture');
  seg.content.plane.data.set([0, 0, 2, 255]); // top row: sky, sky, object, unlabeled
  seg.sync = 'in-sync';
  return doc;
}

const none = new Map();

test('names the class under the pointer on a shown class map', () => {
  const doc = sketch();
  expect(classAt(doc, { viewId: 'semseg', overlayId: null }, none, 0.5, 0.2)).toMatchObject({ layerId: 'semseg', index: 0, name: 'sky', color: [0, 0, 255] });
  expect(classAt(doc, { viewId: 'semseg', overlayId: null }, none, 2.9, 0)?.name).toBe('object');
});

test('reads the class map laid over the picture', () => {
  expect(classAt(sketch(), { viewId: 'rgb', overlayId: 'semseg' }, none, 2, 0)?.name).toBe('object');
  expect(classAt(sketch(), { viewId: 'rgb', overlayId: 'depth' }, none, 2, 0)).toBeNull();
});

test('no class off the picture, on unlabeled pixels or on an empty layer', () => {
  const doc = sketch();
  const view = { viewId: 'semseg', overlayId: null };
  expect(classAt(doc, view, none, 3, 0)).toBeNull();
  expect(classAt(doc, view, none, -1, 0)).toBeNull();
  expect(classAt(doc, view, none, 4, 0)).toBeNull();
  expect(classAt(createDocument(testManifest(4, 4, 2, 2)), view, none, 0, 0)).toBeNull();
});

test('a staged result shows, so it is what the pointer reads', () => {
  const plane = createPlane(4, 4, 1, 1);
  expect(classAt(sketch(), { viewId: 'semseg', overlayId: null }, new Map([['semseg', { kind: 'segmentation', plane }]]), 0, 0)?.name).toBe('ground');
});
