import { expect, test } from 'vitest';
import { createDocument, DocumentStore, REFERENCE_THUMBNAIL_SIDE, type DocumentManifest } from '../../../../renderer/src/document';
import { predictedReferenceOrigin, thumbnailOf } from '../../../../renderer/src/generation/reference';
import { galleryOutputs } from '../../../../renderer/src/generation/results';
import { fillUpdate } from '../../../../renderer/src/tools/paintOps';
import { testManifest } from '../document/fixtures';

const REF = 'tok_dinov2_global';

function manifest(): DocumentManifest {
  const m = testManifest();
  return { ...m, modalities: [...m.modalities, { id: REF, kind: 'reference', derivedFrom: [] }] };
}

/** The test document with its RGB layer filled with one colour. */
function withPicture(): DocumentStore {
  const s = new DocumentStore(createDocument(manifest()));
  s.apply(fillUpdate(s.state, 'rgb', 0, 0, { size: 4, hardness: 1, opacity: 1, rgb: [200, 10, 20], value: 0, classIndex: 0, objectRgb: [230, 25, 75] }, 0)!, { history: 'record' });
  return s;
}

const variation = { seed: 1, outputs: { [REF]: { kind: 'tokens' as const, tokens: Array.from({ length: 16 }, (_, i) => i) } } };

test('a reference predicted from the RGB layer alone keeps that picture as its thumbnail', () => {
  const s = withPicture();
  const origin = predictedReferenceOrigin(s.state, ['rgb']);
  expect(origin?.source).toBe('the RGB layer');
  expect(origin?.thumbnail?.length).toBe(REFERENCE_THUMBNAIL_SIDE * REFERENCE_THUMBNAIL_SIDE * 4);
  expect(Array.from(origin!.thumbnail!.subarray(0, 4))).toEqual([200, 10, 20, 255]);
  const c = galleryOutputs(s.state, variation, [REF], origin)[REF]?.content;
  expect(c).toMatchObject({ kind: 'reference', source: 'the RGB layer' });
  if (c?.kind !== 'reference') throw new Error('expected a reference');
  expect(Array.from(c.ids!)).toEqual(variation.outputs[REF].tokens);
  const rgb = s.state.layers.get('rgb')!.content;
  if (rgb.kind !== 'image') throw new Error('expected image');
  expect(c.thumbnail).toEqual(thumbnailOf(rgb.plane));
});

test('with other conditions, none, or no RGB picture among them, a predicted reference has no preview', () => {
  const s = withPicture();
  expect(predictedReferenceOrigin(s.state, ['rgb', 'caption'])).toBeNull();
  expect(predictedReferenceOrigin(s.state, ['caption'])).toBeNull();
  expect(predictedReferenceOrigin(s.state, [])).toBeNull();
  expect(predictedReferenceOrigin(s.state, ['depth'])).toBeNull();
  expect(galleryOutputs(s.state, variation, [REF])[REF]?.content).toMatchObject({ kind: 'reference', source: '', thumbnail: null });
});
