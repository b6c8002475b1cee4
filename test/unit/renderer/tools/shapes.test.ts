import { describe, expect, test } from 'vitest';
import { createPlane } from '../../../../renderer/src/document';
import { fillShape, snapShape } from '../../../../renderer/src/tools';

const at = (after: Uint8Array, w: number, x: number, y: number): number => after[y * w + x] ?? -1;

describe('shape fills', () => {
  test('a rectangle fills its pixels and nothing else', () => {
    const plane = createPlane(16, 16, 1, 255);
    const edit = fillShape(plane, { kind: 'rect', a: { x: 4, y: 2 }, b: { x: 8, y: 6 } }, [3]);
    expect(edit?.rect).toEqual({ x: 4, y: 2, w: 4, h: 4 });
    expect(edit?.after.every((v) => v === 3)).toBe(true);
  });

  test('an ellipse covers its centre, not the corners of its box', () => {
    const plane = createPlane(16, 16, 1, 255);
    const edit = fillShape(plane, { kind: 'ellipse', a: { x: 0, y: 0 }, b: { x: 16, y: 16 } }, [2]);
    expect(edit).not.toBeNull();
    expect(at(edit!.after, 16, 8, 8)).toBe(2);
    expect(at(edit!.after, 16, 0, 0)).toBe(255);
    expect(at(edit!.after, 16, 15, 15)).toBe(255);
    const filled = edit!.after.filter((v) => v === 2).length;
    expect(filled / 256).toBeCloseTo(Math.PI / 4, 1);
  });

  test('a lasso polygon (a triangle) fills about half its box; fewer than 3 points fill nothing', () => {
    const plane = createPlane(20, 20, 3, 0);
    const edit = fillShape(plane, { kind: 'polygon', points: [{ x: 0, y: 0 }, { x: 20, y: 0 }, { x: 0, y: 20 }] }, [9, 8, 7]);
    const filled = edit!.after.filter((_, i) => i % 3 === 0 && edit!.after[i] === 9).length;
    expect(filled / 400).toBeCloseTo(0.5, 1);
    expect(fillShape(plane, { kind: 'polygon', points: [{ x: 0, y: 0 }, { x: 5, y: 5 }] }, [1, 1, 1])).toBeNull();
  });

  test('snapping grows a rectangle outward to whole token cells', () => {
    expect(snapShape({ kind: 'rect', a: { x: 9, y: 3 }, b: { x: 5, y: 13 } }, 32, 32, 4, 4)).toEqual({ kind: 'rect', a: { x: 0, y: 0 }, b: { x: 16, y: 16 } });
  });
});
