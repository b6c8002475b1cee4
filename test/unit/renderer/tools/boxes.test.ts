import { describe, expect, it } from 'vitest';
import type { Box } from '../../../../renderer/src/document/types';
import { boxFromDrag, hitTestBoxes, moveBox, newBoxLabel, relabelBox, resizeBox } from '../../../../renderer/src/tools/boxes';

const a: Box = { id: 'a', x0: 0.1, y0: 0.1, x1: 0.5, y1: 0.5, label: 'cat' };
const b: Box = { id: 'b', x0: 0.3, y0: 0.3, x1: 0.7, y1: 0.7, label: 'dog' };

describe('box helpers', () => {
  it('hit-tests the topmost box, handles before inside', () => {
    expect(hitTestBoxes([a, b], 0.4, 0.4, 0.01)).toEqual({ id: 'b', part: 'inside' });
    expect(hitTestBoxes([a, b], 0.2, 0.2, 0.01)).toEqual({ id: 'a', part: 'inside' });
    expect(hitTestBoxes([a, b], 0.7, 0.7, 0.01)).toEqual({ id: 'b', part: 'se' });
    expect(hitTestBoxes([a, b], 0.1, 0.2, 0.01)).toEqual({ id: 'a', part: 'w' });
    expect(hitTestBoxes([a, b], 0.9, 0.9, 0.01)).toBeNull();
  });

  it('moves inside the image keeping size', () => {
    const m = moveBox(a, 0.7, -0.5);
    expect(m.x1).toBeCloseTo(1);
    expect(m.x1 - m.x0).toBeCloseTo(0.4);
    expect(m.y0).toBe(0);
  });

  it('resizes by handle without flipping', () => {
    expect(resizeBox(a, 'se', 0.8, 0.9)).toMatchObject({ x0: 0.1, y0: 0.1, x1: 0.8, y1: 0.9 });
    const crossed = resizeBox(a, 'w', 0.9, 0.3, 0.05);
    expect(crossed.x0).toBeCloseTo(0.45);
    expect(crossed.x1).toBe(0.5);
    expect(resizeBox(a, 'n', 0.3, -1).y0).toBe(0);
  });

  it('relabels and builds from drags', () => {
    expect(relabelBox([a, b], 'b', 'wolf').map((x) => x.label)).toEqual(['cat', 'wolf']);
    expect(boxFromDrag('c', 'x', 0.6, 0.9, 0.2, 1.2)).toEqual({ id: 'c', label: 'x', x0: 0.2, y0: 0.9, x1: 0.6, y1: 1 });
  });
});

describe('the label a new box gets', () => {
  it('any words on a model without its own labels; one of the model\'s labels otherwise', () => {
    expect(newBoxLabel('object', undefined)).toBe('object');
    expect(newBoxLabel('object', [])).toBe('object');
    const coco = ['airplane', 'dining table', 'dog'];
    expect(newBoxLabel('dog', coco)).toBe('dog');
    expect(newBoxLabel(' Dining  Table', coco)).toBe('dining table');
    // The bundled model's default ("object") is not a COCO class: the first one the model knows.
    expect(newBoxLabel('object', coco)).toBe('airplane');
  });
});
