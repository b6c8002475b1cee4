import { describe, expect, test } from 'vitest';
import { createDocument, DocumentStore, setLayerProps, UNLABELED_CLASS, type Box } from '../../../../renderer/src/document';
import { boxDuringDrag, boxesWith, isTooSmall, startBoxDrag } from '../../../../renderer/src/tools/boxDrag';
import { dabUpdate, fillUpdate, gradientUpdate, maskDabUpdate, paintValue, shapeUpdate, type PaintSettings } from '../../../../renderer/src/tools/paintOps';
import { isOutputOnly, toolByKey, toolEdits, toolFits, TOOLS } from '../../../../renderer/src/tools/toolIds';
import { limitedManifest, testManifest } from '../document/fixtures';

const paint: PaintSettings = { size: 4, hardness: 1, opacity: 1, rgb: [200, 10, 20], value: 222, classIndex: 2 };

function store(): DocumentStore {
  return new DocumentStore(createDocument(testManifest()));
}

describe('paint operations per layer kind', () => {
  test('an RGB dab writes the brush colour and marks the layer non-empty', () => {
    const s = store();
    const update = dabUpdate(s.state, 'rgb', { x: 10, y: 10, pressure: 1 }, paint, false);
    expect(update).not.toBeNull();
    s.apply(update!, { history: 'record' });
    const rgb = s.state.layers.get('rgb')!;
    const c = rgb.content;
    if (c.kind !== 'image') throw new Error('expected image');
    const o = (10 * 32 + 10) * 3;
    expect(Array.from(c.plane.data.subarray(o, o + 3))).toEqual([200, 10, 20]);
    expect(rgb.sync).toBe('in-sync');
  });

  test('one-channel layers paint the value; erasing writes the empty value', () => {
    const doc = createDocument(testManifest());
    expect(paintValue(doc.layers.get('depth')!, paint, false)).toEqual([222]);
    expect(paintValue(doc.layers.get('depth')!, paint, true)).toEqual([0]);
    expect(paintValue(doc.layers.get('semseg')!, paint, false)).toEqual([2]);
    expect(paintValue(doc.layers.get('semseg')!, paint, true)).toEqual([UNLABELED_CLASS]);
  });

  test('the class brush writes hard class indices; pressure shrinks it', () => {
    const s = store();
    s.apply(dabUpdate(s.state, 'semseg', { x: 16, y: 16, pressure: 1 }, { ...paint, size: 6 }, false)!, { history: 'record' });
    const c = s.state.layers.get('semseg')!.content;
    if (c.kind !== 'segmentation') throw new Error('expected segmentation');
    const values = new Set(c.plane.data);
    expect(values).toEqual(new Set([2, UNLABELED_CLASS]));
    const painted = c.plane.data.filter((v) => v === 2).length;
    const s2 = store();
    s2.apply(dabUpdate(s2.state, 'semseg', { x: 16, y: 16, pressure: 0.3 }, { ...paint, size: 6 }, false)!, { history: 'record' });
    const c2 = s2.state.layers.get('semseg')!.content;
    if (c2.kind !== 'segmentation') throw new Error('expected segmentation');
    expect(c2.plane.data.filter((v) => v === 2).length).toBeLessThan(painted);
  });

  test('locked layers refuse with a message naming the layer', () => {
    const s = store();
    s.apply(setLayerProps(s.state, 'rgb', { locked: true }), { history: 'record' });
    expect(() => dabUpdate(s.state, 'rgb', { x: 1, y: 1, pressure: 1 }, paint, false)).toThrow(/rgb is locked/);
    expect(() => dabUpdate(s.state, 'caption', { x: 1, y: 1, pressure: 1 }, paint, false)).toThrow(/not a pixel layer/);
  });

  test('fill on a class map fills the region with the class', () => {
    const s = store();
    s.apply(fillUpdate(s.state, 'semseg', 3, 3, paint, 50)!, { history: 'record' });
    const c = s.state.layers.get('semseg')!.content;
    if (c.kind !== 'segmentation') throw new Error('expected segmentation');
    expect(c.plane.data.every((v) => v === 2)).toBe(true);
  });
});

describe('region mask dabs snap to the token grid', () => {
  test('a dab selects the token under it; alt removes it; empty masks become null', () => {
    const s = store();
    // 32 px / 4 tokens = 8 px cells; a 2 px dab at (12, 4) is inside cell (1, 0).
    s.apply(maskDabUpdate(s.state, 'rgb', 12, 4, 2, false)!, { history: 'record' });
    expect(Array.from(s.state.layers.get('rgb')!.mask!)).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(maskDabUpdate(s.state, 'rgb', 12, 4, 2, false)).toBeNull(); // nothing changes
    s.apply(maskDabUpdate(s.state, 'rgb', 12, 4, 2, true)!, { history: 'record' });
    expect(s.state.layers.get('rgb')!.mask).toBeNull();
  });
});

describe('box drags', () => {
  const boxes: Box[] = [{ id: 'a', x0: 0.2, y0: 0.2, x1: 0.6, y1: 0.6, label: 'cube' }];

  test('dragging empty space draws; inside moves; a corner resizes', () => {
    const draw = startBoxDrag(boxes, 0.8, 0.8, 0.02, 'new', 'sphere');
    expect(draw.kind).toBe('draw');
    expect(boxDuringDrag(draw, 0.95, 0.9)).toMatchObject({ id: 'new', label: 'sphere', x0: 0.8, y0: 0.8, x1: 0.95, y1: 0.9 });
    const move = startBoxDrag(boxes, 0.4, 0.4, 0.02, 'new', 'x');
    const moved = boxDuringDrag(move, 0.5, 0.4);
    expect(moved.x0).toBeCloseTo(0.3);
    expect(moved.x1).toBeCloseTo(0.7);
    const resize = startBoxDrag(boxes, 0.6, 0.6, 0.02, 'new', 'x');
    expect(resize).toMatchObject({ kind: 'resize', handle: 'se' });
    expect(boxDuringDrag(resize, 0.9, 0.7)).toMatchObject({ x1: 0.9, y1: 0.7 });
  });

  test('boxesWith replaces or appends; tiny boxes are clicks', () => {
    expect(boxesWith(boxes, { ...boxes[0]!, label: 'cone' })).toHaveLength(1);
    expect(boxesWith(boxes, { id: 'b', x0: 0, y0: 0, x1: 0.1, y1: 0.1, label: '' })).toHaveLength(2);
    expect(isTooSmall({ id: 'c', x0: 0.5, y0: 0.5, x1: 0.505, y1: 0.9, label: '' })).toBe(true);
  });
});

test('tools fit the layer kinds they edit', () => {
  expect(toolFits('brush', 'segmentation')).toBe(true);
  expect(toolFits('brush', 'boxes')).toBe(false);
  expect(toolFits('box', 'boxes')).toBe(true);
  expect(toolFits('mask', 'text')).toBe(false); // a region mask is a token grid over pixels
  expect(toolFits('mask', 'segmentation')).toBe(true);
});

describe('a layer the model only makes (Objects (SAM)) is edited by no tool', () => {
  // limitedManifest: depth has canCondition false (the layout's input: false), RGB has no limits.
  test('output-only is the manifest\'s canCondition false; unknown layers and layers without limits are not', () => {
    const m = limitedManifest();
    expect(isOutputOnly(m, 'depth')).toBe(true);
    expect(isOutputOnly(m, 'rgb')).toBe(false);
    expect(isOutputOnly(m, 'det')).toBe(false); // only not generated: still drawn as a condition
    expect(isOutputOnly(m, 'nope')).toBe(false);
    expect(isOutputOnly(testManifest(), 'depth')).toBe(false);
  });

  test('Objects (SAM) are edited by no tool even as a condition: one flat colour per object, generated or imported', () => {
    const m = testManifest();
    expect(isOutputOnly({ ...m, modalities: [...m.modalities, { id: 'sam_instance', kind: 'image', channels: 3 }] }, 'sam_instance')).toBe(true);
  });

  test('every tool is off on it; a layer the model reads keeps the tools that fit its kind', () => {
    for (const t of TOOLS) {
      expect(toolEdits(t.id, { kind: 'image', outputOnly: true })).toBe(false);
      expect(toolEdits(t.id, { kind: 'image', outputOnly: false })).toBe(toolFits(t.id, 'image'));
    }
  });

  test('its tool keys (B, E, G, U, O, L, D, R, M) pick nothing, as its greyed tool bar; elsewhere they pick what fits', () => {
    const sam = { kind: 'image' as const, outputOnly: true, label: 'Objects (SAM)' };
    for (const t of TOOLS) {
      expect(toolByKey(t.id, sam)).toEqual({ refused: 'No tool edits Objects (SAM): it is made by the model' });
      expect(toolByKey(t.id, { ...sam, kind: 'boxes' })).toEqual({ refused: 'No tool edits Objects (SAM): it is made by the model' });
      const rgb = toolByKey(t.id, { kind: 'image', outputOnly: false, label: 'RGB' });
      expect(rgb).toEqual(toolFits(t.id, 'image') ? { tool: t.id } : { refused: 'That tool does not apply to RGB' });
    }
    expect(toolByKey('box', { kind: 'boxes', outputOnly: false, label: 'Boxes' })).toEqual({ tool: 'box' });
    expect(toolByKey('brush', null)).toEqual({ refused: 'That tool does not apply to this layer' });
  });

  test('brush, eraser, fill, shapes, gradient and region mask are refused with why; the document is unchanged', () => {
    const s = new DocumentStore(createDocument(limitedManifest()));
    const before = s.state;
    const why = 'depth is made by the model; nothing to paint';
    expect(() => dabUpdate(s.state, 'depth', { x: 10, y: 10, pressure: 1 }, paint, false)).toThrow(why);
    expect(() => dabUpdate(s.state, 'depth', { x: 10, y: 10, pressure: 1 }, paint, true)).toThrow(why);
    expect(() => fillUpdate(s.state, 'depth', 1, 1, paint, 0)).toThrow(why);
    expect(() => shapeUpdate(s.state, 'depth', { kind: 'rect', a: { x: 0, y: 0 }, b: { x: 8, y: 8 } }, paint, false)).toThrow(why);
    expect(() => gradientUpdate(s.state, 'depth', { x: 0, y: 0, value: 0 }, { x: 31, y: 0, value: 255 })).toThrow(why);
    expect(() => maskDabUpdate(s.state, 'depth', 10, 10, 8, false)).toThrow(why);
    expect(s.state).toBe(before);
    // The same model's RGB layer still paints.
    expect(dabUpdate(s.state, 'rgb', { x: 10, y: 10, pressure: 1 }, paint, false)).not.toBeNull();
  });
});
