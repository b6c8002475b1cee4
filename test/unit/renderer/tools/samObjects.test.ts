/**
 * The object brush of Objects (SAM): its palette, New object, hard-edged dabs, the count of objects
 * (separate parts, as the host reads them) against the limit, and the specks a stroke may leave
 * (cleared), each checked against what the host's reader (readSamPainting) takes.
 */
import { describe, expect, it } from 'vitest';
import { createDocument, createPlane, DocumentStore, restoreProject, saveProject, type Plane, type Rgb } from '../../../../renderer/src/document';
import {
  checkObjectStroke, dabUpdate, fillUpdate, layerObjectCount, layerObjects, objectLimit, objectSpeckUpdate, objectStrokeOverLimit, type PaintSettings,
} from '../../../../renderer/src/tools/paintOps';
import {
  clearSpecks, newObjectColour, OBJECT_PALETTE, objectBrushMinSize, objectColours, objectCount, objectParts, objectsAdded, objectSpecks, objectStrokeRefusal, partsOf, stampObjectDab,
  touchedColours,
} from '../../../../renderer/src/tools/samObjects';
import { readSamPainting } from '../../../../models/tokenizers/image/sam-encode';
import { countSamConditionObjects } from '../../../../preload/contract/sam-instance';
import { SAM_CONDITION_MAX_OBJECTS, samMaskProblem } from '../../../../preload/contract/sam-painting';
import { testManifest } from '../document/fixtures';

const S = 224;
const [P0, P1, P2] = OBJECT_PALETTE as [Rgb, Rgb, Rgb];

/** A 224 px RGB plane with the dab (or edit) written into it. */
function blank(): Plane {
  return createPlane(S, S, 3);
}

function apply(plane: Plane, edit: { rect: { x: number; y: number; w: number; h: number }; after: Uint8Array } | null): Plane {
  if (!edit) return plane;
  const data = plane.data.slice();
  const { rect, after } = edit;
  for (let j = 0; j < rect.h; j++) data.set(after.subarray(j * rect.w * 3, (j + 1) * rect.w * 3), ((rect.y + j) * S + rect.x) * 3);
  return { ...plane, data };
}

/** The plane as the RGBA picture the host reads (black = background). */
function rgba(plane: Plane): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(S * S * 4);
  for (let p = 0; p < S * S; p++) data.set([plane.data[p * 3] ?? 0, plane.data[p * 3 + 1] ?? 0, plane.data[p * 3 + 2] ?? 0, 255], p * 4);
  return { width: S, height: S, data };
}

function maskOf(plane: Plane, c: Rgb): { width: number; height: number; mask: Uint8Array } {
  return { width: S, height: S, mask: Uint8Array.from({ length: S * S }, (_, p) => (plane.data[p * 3] === c[0] && plane.data[p * 3 + 1] === c[1] && plane.data[p * 3 + 2] === c[2] ? 1 : 0)) };
}

describe('the object palette and New object', () => {
  it('holds more distinct colours than the model reads, none black; a painting of every one is read as that many objects', () => {
    const keys = new Set(OBJECT_PALETTE.map((c) => c.join(',')));
    expect(keys.size).toBe(OBJECT_PALETTE.length);
    expect(OBJECT_PALETTE.length).toBeGreaterThanOrEqual(SAM_CONDITION_MAX_OBJECTS);
    expect(OBJECT_PALETTE.some((c) => c.every((v) => v === 0))).toBe(false);
    let plane = blank();
    OBJECT_PALETTE.forEach((c, k) => {
      for (let dy = 0; dy < 16; dy++) for (let dx = 0; dx < 16; dx++) plane = apply(plane, stampObjectDab(plane, 8.5 + (k % 10) * 21 + dx, 30.5 + Math.floor(k / 10) * 40 + dy, 1, c));
    });
    expect(readSamPainting(rgba(plane)).masks).toHaveLength(OBJECT_PALETTE.length);
    expect(objectColours(plane)).toEqual(OBJECT_PALETTE);
  });

  it('gives the palette\'s next colour no object has, stepping on from the current one; refuses at the limit', () => {
    expect(newObjectColour([], P0, 12, 0)).toEqual({ colour: P1 });
    expect(newObjectColour([P0], P0, 12, 1)).toEqual({ colour: P1 });
    expect(newObjectColour([P0, P1], P1, 12, 2)).toEqual({ colour: P2 });
    // A colour taken by an object is skipped; past the palette's end it wraps to the first free one.
    expect(newObjectColour([P0, P2], P0, 12, 2)).toEqual({ colour: P1 });
    expect(newObjectColour([P1], OBJECT_PALETTE.at(-1) as Rgb, 12, 1)).toEqual({ colour: P0 });
    // A generated layer's colours (not the palette's) leave the palette free.
    expect(newObjectColour([[1, 2, 3]], [1, 2, 3], 12, 1)).toEqual({ colour: P0 });
    const note = 'the model reads at most 2 objects here: extend an object where it is (a stroke apart from it is another object), or erase one';
    expect(newObjectColour([P0, P1], P1, 2, 2)).toEqual({ refused: note });
    // The limit counts what the model reads: one colour in two parts is two objects.
    expect(newObjectColour([P0], P0, 2, 2)).toEqual({ refused: note });
    expect(newObjectColour(OBJECT_PALETTE, P0, 64, OBJECT_PALETTE.length)).toEqual({ refused: 'every one of the 20 object colours is on the layer: pick an object to extend it' });
  });

  it('a stroke is refused as it starts only in a new colour at the limit; one that still adds an object past it is taken back when it ends', () => {
    expect(objectStrokeRefusal([P0, P1], P2, 3, 2)).toBeNull();
    expect(objectStrokeRefusal([P0, P1, P2], OBJECT_PALETTE[3] as Rgb, 3, 3)).toMatch(/^the model reads at most 3 objects here/);
    expect(objectStrokeRefusal([P0, P1], OBJECT_PALETTE[3] as Rgb, 3, 3)).toMatch(/^the model reads at most 3 objects here/);
    expect(objectStrokeRefusal([P0, P1, P2], P1, 3, 3)).toBeNull();
    // At its end: more objects than the limit and than before (a part apart, an object cut in two) is refused; fewer or as many never is.
    expect(objectsAdded(3, 4, 3)).toBe('that stroke would make 4 objects (a separate part of a colour is an object of its own to the model): the model reads at most 3 objects here: extend an object where it is (a stroke apart from it is another object), or erase one');
    expect(objectsAdded(3, 3, 3)).toBeNull();
    expect(objectsAdded(2, 3, 3)).toBeNull();
    expect(objectsAdded(5, 4, 3)).toBeNull();
  });

  it('counts objects as the host reads them: a colour painted in two places is two, and its chip says so', () => {
    let plane = apply(blank(), stampObjectDab(blank(), 50, 50, 20, P0));
    plane = apply(plane, stampObjectDab(plane, 150, 150, 20, P0));
    plane = apply(plane, stampObjectDab(plane, 150, 50, 20, P1));
    expect(objectColours(plane)).toEqual([P0, P1]);
    expect(objectCount(plane)).toBe(3);
    expect(readSamPainting(rgba(plane)).masks).toHaveLength(3);
    const parts = objectParts(plane);
    expect([partsOf(parts, P0), partsOf(parts, P1), partsOf(parts, P2)]).toEqual([2, 1, 0]);
    // Joined by a stroke, they are one again.
    for (let t = 50; t <= 150; t += 2) plane = apply(plane, stampObjectDab(plane, t, t, 8, P0));
    expect(objectCount(plane)).toBe(2);
    expect(readSamPainting(rgba(plane)).masks).toHaveLength(2);
  });
});

describe('hard-edged object dabs', () => {
  it('write exactly the object\'s colour inside a circle and leave every other pixel as it was: two colours, no blend', () => {
    let plane = apply(blank(), stampObjectDab(blank(), 100, 100, 20, P1));
    plane = apply(plane, stampObjectDab(plane, 112.3, 104.7, 16, P0));
    const colours = new Set<string>();
    for (let p = 0; p < S * S; p++) colours.add(Array.from(plane.data.subarray(p * 3, p * 3 + 3)).join(','));
    expect([...colours].sort()).toEqual(['0,0,0', P0.join(','), P1.join(',')].sort());
    // Black erases, as hard.
    plane = apply(plane, stampObjectDab(plane, 112.3, 104.7, 16, [0, 0, 0]));
    expect(objectColours(plane)).toEqual([P1]);
    expect(readSamPainting(rgba(plane)).masks).toHaveLength(1);
  });

  it('the smallest size is an object the model reads wherever the dab falls on a pixel; one less can be a speck', () => {
    const min = objectBrushMinSize(S, S);
    expect(min).toBe(8);
    let smallerFails = false;
    for (let fy = 0; fy < 1; fy += 0.1) {
      for (let fx = 0; fx < 1; fx += 0.1) {
        expect(samMaskProblem(maskOf(apply(blank(), stampObjectDab(blank(), 100 + fx, 100 + fy, min, P0)), P0))).toBeUndefined();
        smallerFails ||= samMaskProblem(maskOf(apply(blank(), stampObjectDab(blank(), 100 + fx, 100 + fy, min - 1, P0)), P0)) !== undefined;
      }
    }
    expect(smallerFails).toBe(true);
  });
});

describe('specks a stroke leaves', () => {
  it('the colours a stroke painted, painted over or erased; their parts the model cannot read are named and cleared, their other parts kept', () => {
    let before = apply(blank(), stampObjectDab(blank(), 50, 50, 30, P0));
    before = apply(before, stampObjectDab(before, 150, 150, 30, P2));
    // Object P1 dabbed at the corner (a quarter of a dab: a speck) and over most of P0.
    let after = apply(before, stampObjectDab(before, 0, 0, 8, P1));
    after = apply(after, stampObjectDab(after, 50, 50, 28, P1));
    expect(touchedColours(before.data, after).map((c) => c.join())).toEqual([P1.join(), P0.join()]);
    const specks = objectSpecks(after, touchedColours(before.data, after));
    // P1's corner is a part of its own and a speck (the host would leave it out); its middle part and P0's thin ring (a large box) are read.
    expect(specks.map(({ colour, box, problem }) => ({ colour, box, problem }))).toEqual([
      { colour: P1, box: { xmin: 0, ymin: 0, xmax: 3, ymax: 3 }, problem: 'the object is too small (4×4 px; the model was never shown boxes under 26 px²)' },
    ]);
    const cleared = apply(after, clearSpecks(after, specks));
    expect(objectColours(cleared)).toEqual([P0, P1, P2]);
    expect(cleared.data.subarray(0, 3)).toEqual(new Uint8Array(3));
    const read = readSamPainting(rgba(cleared));
    expect(read.masks).toHaveLength(3);
    expect(read.notes).toEqual([]);
    // A colour that is only a speck goes whole.
    const corner = apply(before, stampObjectDab(before, 0, 0, 8, P1));
    const only = objectSpecks(corner, touchedColours(before.data, corner));
    expect(only.map((sp) => sp.colour)).toEqual([P1]);
    expect(apply(corner, clearSpecks(corner, only)).data).toEqual(before.data);
    expect(clearSpecks(before, [])).toBeNull();
  });
});

describe('painting objects in the document', () => {
  const manifest = (maxObjects?: number) => {
    const m = testManifest(S, S, 14, 14);
    return { ...m, modalities: [...m.modalities, { id: 'sam_instance', kind: 'image' as const, channels: 3 as const, ...(maxObjects !== undefined ? { maxObjects } : {}) }] };
  };
  const paint = (objectRgb: Rgb, size = 4): PaintSettings => ({ size, hardness: 0.2, opacity: 0.5, rgb: [9, 9, 9], value: 0, classIndex: 0, objectRgb });

  it('a dab is the object brush: the object\'s colour exactly (no hardness or flow), at least the smallest object', () => {
    const s = new DocumentStore(createDocument(manifest()));
    s.apply(dabUpdate(s.state, 'sam_instance', { x: 60, y: 60, pressure: 0.2 }, paint(P0), false)!, { history: 'record' });
    expect(layerObjects(s.state, 'sam_instance')).toEqual([P0]);
    const layer = s.state.layers.get('sam_instance');
    const plane = layer?.content.kind === 'image' ? layer.content.plane : blank();
    expect(samMaskProblem(maskOf(plane, P0))).toBeUndefined();
    expect(s.undoLabel).toBe('Paint object');
    // Fills, shapes and regions are not the object brush.
    expect(() => fillUpdate(s.state, 'sam_instance', 1, 1, paint(P1), 0)).toThrow('sam_instance is painted with the object brush and eraser only');
  });

  it('the limit is the layout\'s (4M\'s 12 without one): a new object past it is refused naming the layer, extending is not', () => {
    expect(objectLimit(createDocument(manifest()), 'sam_instance')).toBe(SAM_CONDITION_MAX_OBJECTS);
    const s = new DocumentStore(createDocument(manifest(1)));
    expect(objectLimit(s.state, 'sam_instance')).toBe(1);
    s.apply(dabUpdate(s.state, 'sam_instance', { x: 60, y: 60, pressure: 1 }, paint(P0, 12), false)!, { history: 'record' });
    expect(() => checkObjectStroke(s.state, 'sam_instance', P1)).toThrow('sam_instance: the model reads at most 1 object here: extend an object where it is (a stroke apart from it is another object), or erase one');
    expect(() => checkObjectStroke(s.state, 'sam_instance', P0)).not.toThrow();
  });

  it('a stroke of an object\'s colour apart from it is one object more: past the limit it is named for taking back', () => {
    const s = new DocumentStore(createDocument(manifest(2)));
    const bytes = (): Uint8Array => {
      const c = s.state.layers.get('sam_instance')?.content;
      return c?.kind === 'image' ? c.plane.data.slice() : new Uint8Array();
    };
    s.apply(dabUpdate(s.state, 'sam_instance', { x: 60, y: 60, pressure: 1 }, paint(P0, 12), false)!, { history: 'record' });
    let before = bytes();
    // Below the limit: a second part is a second object, counted as the host and the inspector count it.
    s.apply(dabUpdate(s.state, 'sam_instance', { x: 160, y: 160, pressure: 1 }, paint(P0, 12), false)!, { history: 'record' });
    expect(layerObjectCount(s.state, 'sam_instance')).toBe(2);
    const c = s.state.layers.get('sam_instance')?.content;
    expect(c?.kind === 'image' && countSamConditionObjects(c.plane)).toBe(2);
    expect(objectStrokeOverLimit(s.state, 'sam_instance', before)).toBeNull();
    // At the limit: a third part is refused, naming the layer; extending a part is not.
    before = bytes();
    s.apply(dabUpdate(s.state, 'sam_instance', { x: 60, y: 160, pressure: 1 }, paint(P0, 12), false)!, { history: 'record' });
    expect(objectStrokeOverLimit(s.state, 'sam_instance', before)).toMatch(/^sam_instance: that stroke would make 3 objects \(a separate part of a colour is an object of its own to the model\): the model reads at most 2 objects here/);
    s.undo();
    s.apply(dabUpdate(s.state, 'sam_instance', { x: 64, y: 64, pressure: 1 }, paint(P0, 12), false)!, { history: 'record' });
    expect(objectStrokeOverLimit(s.state, 'sam_instance', before)).toBeNull();
    expect(layerObjectCount(s.state, 'sam_instance')).toBe(2);
  });

  it('after a stroke, an object erased down to a speck is cleared in an update; nothing when every object is read', () => {
    const s = new DocumentStore(createDocument(manifest()));
    s.apply(dabUpdate(s.state, 'sam_instance', { x: 60, y: 60, pressure: 1 }, paint(P0, 8), false)!, { history: 'record' });
    const layer = () => s.state.layers.get('sam_instance');
    const bytes = () => (layer()?.content.kind === 'image' ? (layer()?.content as { plane: Plane }).plane.data.slice() : new Uint8Array());
    const before = bytes();
    expect(objectSpeckUpdate(s.state, 'sam_instance', before)).toEqual({ update: null, removed: [] });
    // The eraser leaves a sliver of the object's edge.
    s.apply(dabUpdate(s.state, 'sam_instance', { x: 56, y: 60, pressure: 1 }, paint(P0, 12), true)!, { history: 'record' });
    expect(layerObjects(s.state, 'sam_instance')).toEqual([P0]);
    const { update, removed } = objectSpeckUpdate(s.state, 'sam_instance', before);
    expect(removed.map((r) => r.colour)).toEqual([P0]);
    expect(removed[0]?.problem).toMatch(/^the (object is too small|mask is a line)/);
    expect(layerObjectCount(s.state, 'sam_instance')).toBe(0);
    s.apply(update!, { history: 'record' });
    expect(layerObjects(s.state, 'sam_instance')).toEqual([]);
  });

  it('painted objects are saved in the project as the layer\'s pixels, exactly, with the layout\'s limit', () => {
    const s = new DocumentStore(createDocument(manifest(9)));
    s.apply(dabUpdate(s.state, 'sam_instance', { x: 60, y: 60, pressure: 1 }, paint(P0, 20), false)!, { history: 'record' });
    s.apply(dabUpdate(s.state, 'sam_instance', { x: 150, y: 150, pressure: 1 }, paint(P1, 20), false)!, { history: 'record' });
    const reopened = restoreProject(saveProject(s.state));
    const plane = (doc: typeof s.state): Uint8Array => {
      const c = doc.layers.get('sam_instance')?.content;
      return c?.kind === 'image' ? c.plane.data : new Uint8Array();
    };
    expect(plane(reopened)).toEqual(plane(s.state));
    expect(layerObjects(reopened, 'sam_instance')).toEqual([P0, P1]);
    expect(objectLimit(reopened, 'sam_instance')).toBe(9);
  });
});
