import { describe, expect, test } from 'vitest';
import { MaskTint } from '../../../../renderer/src/canvas/maskTint';

const RGB = 'tok_rgb@128';
const marked = (...cells: number[]): Uint8Array => {
  const m = new Uint8Array(16);
  for (const c of cells) m[c] = 1;
  return m;
};
const masks = (mask: Uint8Array | null): Map<string, Uint8Array | null> => new Map([[RGB, mask]]);
const none = new Set<string>();
const pixels = new Set([RGB]);

describe('MaskTint: the region is tinted while it is marked, outlined once the model has drawn into it', () => {
  test('a freshly marked region is tinted; a preview or a staged result standing in for the layer is not covered', () => {
    const tint = new MaskTint();
    tint.reset(masks(null));
    tint.note(masks(marked(1, 2)), none);
    expect(tint.tinted(RGB, false)).toBe(true);
    expect(tint.tinted(RGB, true)).toBe(false);
  });

  test('an accepted result (the pixels changed under the same mask) leaves the outline only; marking again tints it', () => {
    const tint = new MaskTint();
    tint.reset(masks(null));
    tint.note(masks(marked(1, 2)), none);
    tint.note(masks(marked(1, 2)), pixels); // Accept: new pixels, the same mask (a copy)
    expect(tint.tinted(RGB, false)).toBe(false);
    tint.note(masks(marked(1, 2)), pixels); // undoing the accept: still not what was marked on
    expect(tint.tinted(RGB, false)).toBe(false);
    tint.note(masks(marked(1, 2, 3)), none); // the artist marks another token
    expect(tint.tinted(RGB, false)).toBe(true);
  });

  test('a mask edit and a pixel change in one step read as marking; pixels changed with no mask change nothing', () => {
    const tint = new MaskTint();
    tint.reset(masks(marked(4)));
    tint.note(masks(marked(5)), pixels);
    expect(tint.tinted(RGB, false)).toBe(true);
    const bare = new MaskTint();
    bare.reset(masks(null));
    bare.note(masks(null), pixels);
    bare.note(masks(marked(4)), none);
    expect(bare.tinted(RGB, false)).toBe(true);
  });

  test('another document starts tinted, whatever happened to the one before', () => {
    const tint = new MaskTint();
    tint.reset(masks(marked(1)));
    tint.note(masks(marked(1)), pixels);
    expect(tint.tinted(RGB, false)).toBe(false);
    tint.reset(masks(marked(1)));
    expect(tint.tinted(RGB, false)).toBe(true);
    expect(tint.tinted('tok_depth@128', false)).toBe(true); // a layer it never saw
  });
});
