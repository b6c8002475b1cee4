import { expect, test } from 'vitest';
import { createDocument, DocumentStore, setBoxes, setLayerProps, setPalette, setText } from '../../../../renderer/src/document';
import { bytesToBase64 } from '../../../../renderer/src/generation/base64';
import { galleryOutputs, previewContent } from '../../../../renderer/src/generation/results';
import { testManifest } from '../document/fixtures';

function doc(): DocumentStore {
  const s = new DocumentStore(createDocument(testManifest()));
  s.apply(setText(s.state, 'caption', 'a cube'), { history: 'record' });
  s.apply(setLayerProps(s.state, 'depth', { role: 'generate' }), { history: 'record' });
  return s;
}

test('host results become layer content; previews only show on matching layers', () => {
  const s = doc();
  s.apply(setBoxes(s.state, 'det', []), { history: 'record' });
  s.apply(setPalette(s.state, 'palette', []), { history: 'record' });
  const raster = { width: 32, height: 32, rgba: bytesToBase64(new Uint8Array(32 * 32 * 4).fill(9)) };
  const outputs = galleryOutputs(
    s.state,
    {
      seed: 3,
      outputs: {
        depth: { kind: 'image', tokens: [1, 2], raster },
        caption: { kind: 'sequence', tokens: [5], text: 'a cube' },
        det: { kind: 'sequence', tokens: [], text: '', boxes: [{ x0: 0, y0: 0, x1: 0.5, y1: 0.5, label: 'cube' }] },
        unknown: { kind: 'sequence', tokens: [], text: '' },
      },
    },
    ['depth', 'caption', 'det', 'unknown'],
  );
  expect(Object.keys(outputs)).toEqual(['depth', 'caption', 'det']);
  const depth = outputs['depth']!.content;
  expect(depth.kind === 'image' && depth.plane.channels === 1 && depth.plane.data[0]).toBe(9);
  expect(outputs['caption']!.content).toEqual({ kind: 'text', text: 'a cube' });
  expect(previewContent(s.state, { modality: 'caption', text: 'a c' })?.content).toEqual({ kind: 'text', text: 'a c' });
  expect(previewContent(s.state, { modality: 'semseg', raster })).toBeNull(); // no class map
});
