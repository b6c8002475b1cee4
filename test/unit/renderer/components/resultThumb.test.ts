import { expect, test } from 'vitest';
import type { GalleryOutput } from '../../../../renderer/src/document';
import { resultThumbChoice } from '../../../../renderer/src/components/resultThumb';

const ORDER = ['rgb', 'semseg', 'caption', 'det', 'palette', 'dino', 'bind'];
const image: GalleryOutput = { content: { kind: 'image', plane: { width: 2, height: 2, channels: 3, data: new Uint8Array(12) } }, tokens: null };
const seg: GalleryOutput = { content: { kind: 'segmentation', plane: { width: 2, height: 2, channels: 1, data: new Uint8Array(4) } }, tokens: null };
const ref = (thumbnail: Uint8Array | null): GalleryOutput => ({ content: { kind: 'reference', ids: new Int32Array(16), source: thumbnail ? 'the RGB layer' : '', thumbnail }, tokens: new Int32Array(16) });

test('pixels first, in layer order, whatever order the outputs came in', () => {
  expect(resultThumbChoice({ semseg: seg, rgb: image }, ORDER)).toEqual({ draw: 'rgb' });
  expect(resultThumbChoice({ bind: ref(new Uint8Array(4)), semseg: seg }, ORDER)).toEqual({ draw: 'semseg' });
});

test('a token-only result shows the picture its reference was read from', () => {
  expect(resultThumbChoice({ bind: ref(new Uint8Array(4)) }, ORDER)).toEqual({ draw: 'bind' });
  expect(resultThumbChoice({ dino: ref(null), bind: ref(new Uint8Array(4)) }, ORDER)).toEqual({ draw: 'bind' });
});

test('with nothing to draw it says what the result holds, never a blank square', () => {
  expect(resultThumbChoice({ bind: ref(null) }, ORDER)).toEqual({ label: '16 tokens' });
  expect(resultThumbChoice({ bind: { content: { kind: 'reference', ids: null, source: '', thumbnail: null }, tokens: null } }, ORDER)).toEqual({ label: 'no tokens' });
  expect(resultThumbChoice({ caption: { content: { kind: 'text', text: 'a cat' }, tokens: null } }, ORDER)).toEqual({ label: 'text' });
  expect(resultThumbChoice({ det: { content: { kind: 'boxes', boxes: [{ id: 'a', x0: 0, y0: 0, x1: 1, y1: 1, label: 'cat' }] }, tokens: null } }, ORDER)).toEqual({ label: '1 box' });
  expect(resultThumbChoice({ palette: { content: { kind: 'palette', swatches: [[0, 0, 0], [1, 1, 1]] }, tokens: null } }, ORDER)).toEqual({ label: '2 colours' });
  expect(resultThumbChoice({}, ORDER)).toEqual({ label: 'empty' });
  // A layer the manifest no longer lists still gets a label.
  expect(resultThumbChoice({ other: ref(null) }, ORDER)).toEqual({ label: '16 tokens' });
});
