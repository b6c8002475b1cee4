/**
 * The Objects (SAM) layer's shared rules: how many objects a painted picture shows (the palette
 * painter's colours on black, as the editor keeps it) and the inspector's line for it.
 */
import { describe, expect, test } from 'vitest';
import { countSamConditionObjects, countSamObjects, isSamInstanceLayer, samObjectsLine } from '../../../../preload/contract/sam-instance';
import { paintSamRender } from '../../../../models/tokenizers/image/sam-instances';

/** RGBA → the RGB plane the editor keeps (transparent reads as black). */
const rgbOf = (rgba: Uint8Array): Uint8Array => Uint8Array.from({ length: (rgba.length / 4) * 3 }, (_, i) => rgba[Math.floor(i / 3) * 4 + (i % 3)] ?? 0);

describe('Objects (SAM)', () => {
  test('counts the instances the palette painter put on the picture; an empty result is none', () => {
    // A 4 × 4 index map with three instances (1 covers the top row, 2 and 3 one pixel each), none elsewhere.
    const index = Uint16Array.from([1, 1, 1, 1, 0, 2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0]);
    for (const seed of [0, 7, 1234]) expect(countSamObjects(rgbOf(paintSamRender({ width: 4, height: 4, index }, seed).data), 3)).toBe(3);
    // Ten instances keep ten colours apart (the painter's golden-angle hues).
    const ten = Uint16Array.from({ length: 10 }, (_, i) => i + 1);
    expect(countSamObjects(rgbOf(paintSamRender({ width: 10, height: 1, index: ten }).data), 3)).toBe(10);
    expect(countSamObjects(new Uint8Array(16 * 3), 3)).toBe(0);
  });

  test('as a condition, each separate part of a colour is an object and specks are not', () => {
    // 30 × 30, RGB: red in two parts (one touching the other only at a corner is the same part), blue a speck.
    const W = 30;
    const data = new Uint8Array(W * W * 3);
    const paint = (x0: number, y0: number, x1: number, y1: number, rgb: number[]): void => {
      for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) data.set(rgb, (y * W + x) * 3);
    };
    paint(0, 0, 9, 9, [255, 0, 0]);
    paint(10, 10, 14, 14, [255, 0, 0]);
    paint(20, 0, 29, 9, [255, 0, 0]);
    paint(25, 25, 25, 25, [0, 0, 255]);
    expect(countSamObjects(data, 3)).toBe(2);
    expect(countSamConditionObjects({ data, channels: 3, width: W, height: W })).toBe(2);
    // A larger blue part makes it an object (its box 4 × 4: 16 px² ≥ 0.0005 · 900).
    paint(0, 20, 4, 24, [0, 0, 255]);
    expect(countSamConditionObjects({ data, channels: 3, width: W, height: W })).toBe(3);
  });

  test('the inspector line: how many were found, or none as an ordinary answer', () => {
    expect(samObjectsLine(7)).toBe('7 objects found by SAM (4M-21)');
    expect(samObjectsLine(1)).toBe('1 object found by SAM (4M-21)');
    expect(samObjectsLine(0)).toMatch(/^no objects found/);
    expect(samObjectsLine(0)).not.toMatch(/error|fail/i);
    // As a condition: what goes in, and how to give some when there is none.
    expect(samObjectsLine(2, true)).toBe('2 objects go in as the condition, each read by the SAM tokenizer');
    expect(samObjectsLine(1, true)).toBe('1 object goes in as the condition, each read by the SAM tokenizer');
    expect(samObjectsLine(0, true)).toMatch(/^no objects to go in: import a painting of objects/);
    expect(isSamInstanceLayer('sam_instance')).toBe(true);
    expect(isSamInstanceLayer('tok_sam_edge@224')).toBe(false);
  });
});
