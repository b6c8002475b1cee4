// "Continue at 448": what an upscaled result carries onto the SR model's 448 document (pictures by
// domain, the caption / boxes / palette the 224 document holds), and the one undoable step that puts
// it there (setLayerContents).
import { describe, expect, it } from 'vitest';
import { setLayerContents } from '../../../../renderer/src/document/commands';
import { createDocument } from '../../../../renderer/src/document/create';
import { documentManifestFromModel } from '../../../../renderer/src/document/fromModelManifest';
import { DocumentStore } from '../../../../renderer/src/document/store';
import type { UpscaledEntry } from '../../../../renderer/src/document/types';
import { carryInto, carryOf, layerDomain } from '../../../../renderer/src/generation/continueUpscaled';

const classes = [{ id: 0, name: 'void', color: [0, 0, 0] }, { id: 1, name: 'sky', color: [110, 180, 240] }, { id: 2, name: 'grass', color: [60, 160, 50] }] as const;
const layout = (size: number, grid: number, suffix: string) => ({
  id: `m${size}`, imageSize: size, classes: classes.map((c) => ({ ...c, color: [...c.color] })), boxLabels: ['dog', 'cat'],
  modalities: [
    { name: `rgb@${suffix}`, displayName: 'RGB', type: 'img', domain: 'rgb', grid: [grid, grid] },
    { name: `tok_semseg@${suffix}`, displayName: 'Segmentation (COCO)', type: 'img', domain: 'semseg', grid: [grid, grid] },
    { name: 'caption', displayName: 'Caption', type: 'seq', domain: 'caption' },
    { name: 'det', displayName: 'Boxes (COCO)', type: 'seq', domain: 'det' },
  ],
});
const small = documentManifestFromModel(layout(8, 2, '8'));
const big = documentManifestFromModel(layout(16, 4, '16'));
const picture = (w: number, f: (x: number, y: number) => [number, number, number]) => {
  const data = new Uint8Array(w * w * 4);
  for (let y = 0; y < w; y++) for (let x = 0; x < w; x++) data.set([...f(x, y), 255], (y * w + x) * 4);
  return { width: w, height: w, data };
};
const entry: UpscaledEntry = {
  id: 'up-1', createdAt: '2026-12-07T17:00:00.000Z', source: 'g1', sourceSeed: 7, srModel: 'SR',
  pictures: [{ layer: 'rgb@8', width: 16, height: 16, png: new Uint8Array(1) }, { layer: 'tok_semseg@8', width: 16, height: 16, png: new Uint8Array(1) }],
};

describe('layerDomain', () => {
  it('strips the token prefix and the size', () => {
    expect(['tok_semseg@224', 'rgb@448', 'caption', 'tok_canny_edge@448'].map(layerDomain)).toEqual(['semseg', 'rgb', 'caption', 'canny_edge']);
  });
});

describe('carrying an upscaled result onto the 448 document', () => {
  it('pictures onto the layers of their domain (segmentation by nearest class colour), the caption and known boxes as they are', () => {
    const doc224 = new DocumentStore(createDocument(small));
    doc224.apply(setLayerContents(doc224.state, new Map([
      ['caption', { kind: 'text', text: 'a dog on the grass' }],
      ['det', { kind: 'boxes', boxes: [{ id: 'b1', x0: 0.1, y0: 0.2, x1: 0.5, y1: 0.6, label: 'dog' }, { id: 'b2', x0: 0, y0: 0, x1: 1, y1: 1, label: 'unicorn' }] }],
    ]), 'setup'), { history: 'record' });
    const carry = carryOf(doc224.state, entry);
    expect([...carry.sequences.keys()].sort()).toEqual(['caption', 'det']);
    expect([...carry.conditions]).toEqual([]); // new layers start ignored
    const withRoles = { ...carry, conditions: new Set(['caption']) };
    expect(carry).toMatchObject({ srModelId: 'SR', sourceSeed: 7 });

    const rgb = picture(16, (x, y) => [x * 10, y * 10, 100]);
    const seg = picture(16, (_x, y) => (y < 8 ? [112, 178, 241] : [58, 161, 52])); // near sky / grass (a PNG round trip may move a colour)
    const plan = carryInto(big, withRoles, [rgb, seg]);
    expect(plan.conditions).toEqual(['rgb@16', 'tok_semseg@16', 'caption']);
    expect(plan.left).toEqual([]);
    expect(plan.first).toBe('rgb@16');
    expect([...plan.contents.keys()]).toEqual(['rgb@16', 'tok_semseg@16', 'det', 'caption']);
    const r = plan.contents.get('rgb@16');
    expect(r?.kind === 'image' && [r.plane.width, r.plane.channels, r.plane.data[(3 * 16 + 5) * 3], r.plane.data[(3 * 16 + 5) * 3 + 1]]).toEqual([16, 3, 50, 30]);
    const s = plan.contents.get('tok_semseg@16');
    expect(s?.kind === 'segmentation' && [s.plane.data[0], s.plane.data[16 * 15]]).toEqual([1, 2]);
    const boxes = plan.contents.get('det');
    expect(boxes?.kind === 'boxes' && boxes.boxes.map((b) => b.label)).toEqual(['dog']);

    // One undoable step on the 448 document; the layers become the artist's own (not in sync with tokens).
    const doc448 = new DocumentStore(createDocument(big));
    const before = structuredClone(doc448.state);
    doc448.apply(setLayerContents(doc448.state, plan.contents, 'Continue at 16'), { history: 'record' });
    const layer = doc448.state.layers.get('rgb@16');
    expect(layer?.content.kind === 'image' && layer.content.plane.data.slice(0, 6)).toEqual(Uint8Array.of(0, 0, 100, 10, 0, 100));
    expect(doc448.state.layers.get('caption')?.content).toEqual({ kind: 'text', text: 'a dog on the grass' });
    expect(doc448.undoDepth).toBe(1);
    doc448.undo();
    expect(doc448.state.layers.get('rgb@16')?.content).toEqual(before.layers.get('rgb@16')?.content);
    expect(doc448.state.layers.get('caption')?.content).toEqual({ kind: 'text', text: '' });
  });

  it('says what cannot go over: a picture of another size, a layer the model does not have, an unreadable picture', () => {
    const carry = { srModelId: 'SR', sourceSeed: 1, conditions: new Set<string>(), pictures: [...entry.pictures, { layer: 'tok_depth@8', width: 16, height: 16, png: new Uint8Array(1) }], sequences: new Map([['color_palette', { kind: 'palette' as const, swatches: [[1, 2, 3] as const] }]]) };
    const plan = carryInto(big, carry, [picture(8, () => [0, 0, 0]), undefined as never, picture(16, () => [0, 0, 0])], (id) => `«${id}»`);
    expect(plan.contents.size).toBe(0);
    expect(plan.first).toBeUndefined();
    expect(plan.left).toEqual(['«rgb@8» (8 × 8, the canvas is 16 × 16)', '«tok_semseg@8» (its picture could not be read)', '«tok_depth@8» (the model has no such layer)', '«color_palette» (the model has no such layer)']);
  });
});
