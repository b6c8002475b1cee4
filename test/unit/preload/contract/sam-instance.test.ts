/**
 * The Objects (SAM) layer's shared rules: how many objects a painted picture shows (the palette
 * painter's colours on black, as the editor keeps it) and the inspector's line for it.
 */
import { describe, expect, test } from 'vitest';
import { countSamObjects, isSamInstanceLayer, samObjectsLine } from '../../../../preload/contract/sam-instance';
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
