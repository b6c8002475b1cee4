import { expect, test } from 'vitest';
import { createPlane, UNLABELED_CLASS } from '../../../../renderer/src/document';
import { hexColor, parseHexColor, planeToRgba } from '../../../../renderer/src/canvas/layerPixels';
import { compositeInsideMask, planeToRaster, rasterToPlane } from '../../../../renderer/src/generation/planes';
import { base64ToBytes, bytesToBase64 } from '../../../../renderer/src/generation/base64';

const classes = [
  { name: 'sky', color: [10, 20, 30] as [number, number, number] },
  { name: 'cube', color: [200, 0, 0] as [number, number, number] },
];

test('segmentation shows class colours and leaves unlabeled pixels transparent', () => {
  const plane = { width: 2, height: 1, channels: 1, data: Uint8Array.from([1, UNLABELED_CLASS]) };
  expect(Array.from(planeToRgba(plane, { x: 0, y: 0, w: 2, h: 1 }, classes))).toEqual([200, 0, 0, 255, 0, 0, 0, 0]);
});

test('grey and RGB planes display opaque, in a sub-rectangle', () => {
  const grey = { width: 2, height: 2, channels: 1, data: Uint8Array.from([1, 2, 3, 4]) };
  expect(Array.from(planeToRgba(grey, { x: 1, y: 1, w: 1, h: 1 }, null))).toEqual([4, 4, 4, 255]);
  const rgb = { width: 1, height: 1, channels: 3, data: Uint8Array.from([5, 6, 7]) };
  expect(Array.from(planeToRgba(rgb, { x: 0, y: 0, w: 1, h: 1 }, null))).toEqual([5, 6, 7, 255]);
});

test('the Objects (SAM) layer shows its black ("no object") transparent, its masks opaque', () => {
  const objects = { width: 3, height: 1, channels: 3, data: Uint8Array.from([0, 0, 0, 200, 60, 40, 0, 0, 1]) };
  expect(Array.from(planeToRgba(objects, { x: 0, y: 0, w: 3, h: 1 }, null, true))).toEqual([0, 0, 0, 0, 200, 60, 40, 255, 0, 0, 1, 255]);
  // Any other picture keeps its black.
  expect(Array.from(planeToRgba(objects, { x: 0, y: 0, w: 1, h: 1 }, null))).toEqual([0, 0, 0, 255]);
});

test('hex colours round-trip', () => {
  expect(hexColor([255, 128, 0])).toBe('#ff8000');
  expect(parseHexColor('#ff8000')).toEqual([255, 128, 0]);
  expect(() => parseHexColor('red')).toThrow(/#a1b2c3/);
});

test('planes ↔ rasters for the engine keep the document conventions', () => {
  const seg = { width: 2, height: 1, channels: 1, data: Uint8Array.from([1, UNLABELED_CLASS]) };
  // Unlabeled pixels go to the first class (background) so the tokenizer sees a valid colour.
  expect(Array.from(planeToRaster(seg, classes).rgba)).toEqual([200, 0, 0, 255, 10, 20, 30, 255]);
  const depth = rasterToPlane({ width: 1, height: 1, rgba: Uint8Array.from([90, 90, 90, 255]) }, 1, null);
  expect(Array.from(depth.data)).toEqual([90]);
  const classMap = rasterToPlane({ width: 2, height: 1, rgba: new Uint8Array(8) }, 1, Uint8Array.from([0, 1]));
  expect(Array.from(classMap.data)).toEqual([0, 1]);
  expect(() => rasterToPlane({ width: 2, height: 1, rgba: new Uint8Array(4) }, 3, null)).toThrow(/expected 8 bytes/);
});

test('region results keep the original outside the mask', () => {
  const original = createPlane(2, 1, 1, 7);
  const generated = createPlane(2, 1, 1, 99);
  expect(Array.from(compositeInsideMask(original, generated, Uint8Array.from([255, 0])).data)).toEqual([99, 7]);
});

test('base64 round trip over large buffers', () => {
  const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 31) & 255);
  expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
});

test('imports fit the model aspect: centre crop, pad with bars, or stretch', async () => {
  const { centreCrop } = await import('../../../../renderer/src/project/importImage');
  expect(centreCrop(3000, 2000, 128, 128)).toEqual({ x: 500, y: 0, w: 2000, h: 2000 });
  expect(centreCrop(100, 400, 128, 128)).toEqual({ x: 0, y: 150, w: 100, h: 100 });
  const { fitRects } = await import('../../../../renderer/src/project/importImage');
  expect(fitRects('crop', 3000, 2000, 128, 128)).toEqual({ src: { x: 500, y: 0, w: 2000, h: 2000 }, dst: { x: 0, y: 0, w: 128, h: 128 } });
  const pad = fitRects('pad', 2000, 3000, 128, 128);
  expect(pad.src).toEqual({ x: 0, y: 0, w: 2000, h: 3000 });
  expect([pad.dst.x, pad.dst.y, pad.dst.w, pad.dst.h].map((v) => Number(v.toFixed(6)))).toEqual([21.333333, 0, 85.333333, 128]);
  expect(fitRects('stretch', 2000, 3000, 128, 128)).toEqual({ src: { x: 0, y: 0, w: 2000, h: 3000 }, dst: { x: 0, y: 0, w: 128, h: 128 } });
});
