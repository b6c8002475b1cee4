import { describe, expect, it } from 'vitest';
import { MAX_SAM_INPUT_INSTANCES, samMasksFromJson, samMasksFromPicture } from '../../../../models/cli/sam-instances';
import { runLengths } from '../../../../models/tokenizers/image/sam-instances';

const S = 224;

function picture(paint: (x: number, y: number) => [number, number, number, number] | undefined, size = S): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) data.set(paint(x, y) ?? [0, 0, 0, 0], (y * size + x) * 4);
  return { width: size, height: size, data };
}

const inRect = (x: number, y: number, x0: number, y0: number, x1: number, y1: number): boolean => x >= x0 && x <= x1 && y >= y0 && y <= y1;

describe('--in sam_instance=masks.png: a painting of instances', () => {
  it('one instance per distinct colour, black and transparency as background, in order of first appearance', () => {
    const img = picture((x, y) => (inRect(x, y, 10, 10, 59, 39) ? [200, 30, 30, 255] : inRect(x, y, 100, 100, 149, 199) ? [20, 180, 60, 255] : inRect(x, y, 0, 200, 223, 223) ? [0, 0, 0, 255] : undefined));
    const { masks, notes } = samMasksFromPicture(img, 'masks.png');
    expect(notes).toEqual([]);
    expect(masks).toHaveLength(2);
    expect(masks.map((m) => Array.from(m.mask).reduce((a, b) => a + b, 0))).toEqual([50 * 30, 50 * 100]);
    expect(masks[0]?.mask[10 * S + 10]).toBe(1);
    expect(masks[1]?.mask[100 * S + 100]).toBe(1);
  });

  it('names a wrong size, an empty painting, too many colours and a speck', () => {
    expect(() => samMasksFromPicture(picture(() => [9, 9, 9, 255], 100), 'm.png')).toThrow('m.png: a 100×100 picture; SAM instances are painted on the 224×224 picture');
    expect(() => samMasksFromPicture(picture(() => [0, 0, 0, 255]), 'm.png')).toThrow('m.png: no objects: every pixel is black or transparent');
    const noisy = picture((x, y) => [(x * 7 + y) % 256, (y * 3) % 256, 40, 255]);
    expect(() => samMasksFromPicture(noisy, 'photo.png')).toThrow(`photo.png: more than ${MAX_SAM_INPUT_INSTANCES} colours, so not a painting of objects`);
    const speck = picture((x, y) => (inRect(x, y, 10, 10, 59, 39) ? [200, 30, 30, 255] : inRect(x, y, 80, 80, 82, 82) ? [1, 2, 3, 255] : undefined));
    expect(() => samMasksFromPicture(speck, 'm.png')).toThrow('m.png: the object in #010203: the object is too small (3×3 px');
  });
});

describe('objects in several parts', () => {
  it('a colour in two parts is two instances and a speck of it is left out, each said in a note naming the file', () => {
    const img = picture((x, y) => (inRect(x, y, 10, 10, 59, 39) || inRect(x, y, 100, 100, 149, 199) || inRect(x, y, 200, 5, 201, 6) ? [200, 30, 30, 255] : undefined));
    const { masks, notes } = samMasksFromPicture(img, 'masks.png');
    expect(masks).toHaveLength(2);
    expect(notes).toEqual([
      'masks.png: the object in #c81e1e: 2 separate parts, read as 2 objects (an instance in 4M\'s data is one outline)',
      'masks.png: the object in #c81e1e: left out a speck (2×2 px at x 200, y 5): 4M\'s data pipeline drops parts whose box is under 26 px²',
    ]);
  });

  it('a placed mask in pieces (thresholding can leave them) is read as its pieces', () => {
    const w = 60;
    const h = 20;
    const local = new Array(w * h).fill(0).map((_, i) => ((i % w) < 20 || (i % w) >= 40 ? 1 : 0));
    const doc = { width: 224, height: 224, instances: [{ placed: { x: 10, y: 10, width: w, height: h, counts: runLengths(local) } }] };
    const { masks, notes } = samMasksFromJson(doc, 'masks.json');
    expect(masks).toHaveLength(2);
    expect(notes).toEqual(['masks.json: instances[0]: 2 separate parts, read as 2 objects (an instance in 4M\'s data is one outline)']);
  });
});

describe('--in sam_instance=masks.json: what --out writes', () => {
  const placed = (x: number, y: number, w: number, h: number, fill = 1): { x: number; y: number; width: number; height: number; counts: number[] } => ({ x, y, width: w, height: h, counts: runLengths(new Array(w * h).fill(fill)) });

  it('places each instance\'s run lengths on the picture; a null placement is left out with a note', () => {
    const doc = { width: 224, height: 224, instances: [{ box: {}, placed: placed(20, 30, 40, 10) }, { placed: null }, { placed: placed(0, 200, 224, 24) }] };
    const { masks, notes } = samMasksFromJson(doc, 'masks.json');
    expect(masks).toHaveLength(2);
    expect(Array.from(masks[0]?.mask ?? []).reduce((a, b) => a + b, 0)).toBe(400);
    expect(masks[0]?.mask[30 * S + 20]).toBe(1);
    expect(masks[0]?.mask[29 * S + 20]).toBe(0);
    expect(masks[1]?.mask[223 * S + 223]).toBe(1);
    expect(notes).toEqual(['masks.json: instances[1] left out: its box lies outside the picture (placed is null)']);
  });

  it('names what is wrong: the document, the size, the rectangle, the run lengths, an empty mask', () => {
    expect(() => samMasksFromJson([1, 2], 'a.json')).toThrow('a.json: expected {"width": 224, "height": 224, "instances"');
    expect(() => samMasksFromJson({ width: 448, height: 448, instances: [] }, 'a.json')).toThrow('a.json: width 448, height 448; SAM instances are given on the 224×224 picture');
    expect(() => samMasksFromJson({ width: 224, height: 224, instances: [] }, 'a.json')).toThrow('a.json: no instances (the instances list is empty)');
    expect(() => samMasksFromJson({ width: 224, height: 224, instances: [{ placed: placed(200, 0, 40, 10) }] }, 'a.json')).toThrow('a.json: instances[0].placed: x 200, y 0, width 40, height 10 is not a rectangle inside the 224×224 picture');
    expect(() => samMasksFromJson({ width: 224, height: 224, instances: [{ placed: { ...placed(0, 0, 10, 10), counts: [5, 5] } }] }, 'a.json')).toThrow('a.json: instances[0].placed: the run lengths cover 10 of 10×10 pixels');
    expect(() => samMasksFromJson({ width: 224, height: 224, instances: [{ placed: { ...placed(0, 0, 10, 10), counts: [5, -1] } }] }, 'a.json')).toThrow('counts[1] = -1 is not a run length');
    expect(() => samMasksFromJson({ width: 224, height: 224, instances: [{ placed: placed(0, 0, 10, 10, 0) }] }, 'a.json')).toThrow('a.json: instances[0]: the mask is empty');
    expect(() => samMasksFromJson({ width: 224, height: 224, instances: [{}] }, 'a.json')).toThrow('a.json: instances[0]: no "placed" mask');
    expect(() => samMasksFromJson({ width: 224, height: 224, instances: [{ placed: null }] }, 'a.json')).toThrow('a.json: no instances (every instance lies outside the picture)');
    const many = { width: 224, height: 224, instances: new Array(MAX_SAM_INPUT_INSTANCES + 1).fill({ placed: placed(0, 0, 10, 10) }) };
    expect(() => samMasksFromJson(many, 'a.json')).toThrow(`a.json: ${MAX_SAM_INPUT_INSTANCES + 1} instances; at most ${MAX_SAM_INPUT_INSTANCES} can be read`);
  });
});
