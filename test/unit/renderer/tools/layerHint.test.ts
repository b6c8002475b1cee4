import { expect, test } from 'vitest';
import { layerHint } from '../../../../renderer/src/tools/layerHint';

const layer = (kind: 'image' | 'segmentation' | 'boxes' | 'text' | 'palette' | 'reference', name: string, domain: string, generated = false) => ({ kind, name, domain, generated });

test('a tool that edits the layer shows its options (no hint)', () => {
  expect(layerHint('brush', layer('segmentation', 'Segmentation', 'semseg'))).toBeNull();
  expect(layerHint('box', layer('boxes', 'Bounding boxes', 'det'))).toBeNull();
});

test('a layer the tool cannot paint says where it is edited, in one line', () => {
  expect(layerHint('brush', layer('text', 'Caption', 'caption'))).toBe('Caption: type it in the prompt box above');
  // Generated, the caption is not what the prompt says: its own field edits it.
  expect(layerHint('brush', layer('text', 'Caption', 'caption', true))).toBe('Caption: type its text in the side panel');
  expect(layerHint('eraser', layer('text', 'Metadata', 'metadata'))).toBe('Metadata: set its values in the side panel');
  expect(layerHint('brush', layer('palette', 'Colour palette', 'color_palette'))).toBe('Colour palette: pick its colours in the side panel');
  expect(layerHint('brush', layer('boxes', 'Bounding boxes', 'det'))).toBe('Bounding boxes: draw, move and resize boxes with the box tool (R)');
  expect(layerHint('box', layer('image', 'RGB', 'rgb'))).toBe('RGB: paint it with the brush (B) or another tool on the left');
  expect(layerHint('brush', layer('reference', 'DINOv2 reference', 'dinov2_global'))).toBe('DINOv2 reference: take it from the RGB layer or a picture file in the side panel');
  // A target: the buttons that set it are off, so the hint says how to get them back.
  expect(layerHint('brush', layer('reference', 'ImageBind reference', 'imagebind_global', true))).toBe('ImageBind reference: the model predicts it; set it to condition to take it from a picture');
});

test('a layer the model only makes says so under every tool, instead of brush options', () => {
  const sam = { ...layer('image', 'Objects (SAM)', 'sam_instance', true), outputOnly: true };
  for (const tool of ['brush', 'eraser', 'fill', 'rect', 'mask', 'box'] as const) {
    expect(layerHint(tool, sam)).toBe('Objects (SAM): made by the model; nothing to paint');
  }
  expect(layerHint('brush', { ...layer('segmentation', 'Segmentation', 'semseg'), outputOnly: true })).toBe('Segmentation: made by the model; nothing to paint');
  // Objects (SAM) as a condition: where the objects come from instead.
  expect(layerHint('brush', { ...sam, generated: false, condition: true })).toBe('Objects (SAM): one flat colour per object; import a painting (Import image…) or generate it; no tool paints it');
  expect(layerHint('box', { ...layer('boxes', 'Bounding boxes', 'det'), outputOnly: true })).toBe('Bounding boxes: made by the model; nothing to draw');
  // Kinds no tool paints keep their own line; a readable picture keeps its options.
  expect(layerHint('brush', { ...layer('palette', 'Colour palette', 'color_palette'), outputOnly: true })).toBe('Colour palette: pick its colours in the side panel');
  expect(layerHint('brush', { ...layer('image', 'RGB', 'rgb'), outputOnly: false })).toBeNull();
});
