/**
 * The official DiVAE domains' pixel conventions both ways (models/engine/vq/official-divae-image.ts):
 * what a painted depth / edge / normal picture becomes for the encoder, what a decoded depth becomes
 * as the editor's grey layer, and that the two mean the same (a decoded depth re-encodes to itself).
 */
import { describe, expect, it } from 'vitest';
import { divaeImage, divaeInputFromPicture, PaintedPictureError, truncatedDepthStandardization } from '../../../../../models/engine/vq/official-divae-image';
import { createRgba, layerImage, turbo, type RgbaImage } from '../../../../../models/tokenizers/image';

const OPTS = { size: 16, grid: 4, where: 'inputs.tok_depth@224' };

function grey(values: ArrayLike<number>, side: number): RgbaImage {
  const img = createRgba(side, side);
  for (let i = 0; i < side * side; i++) img.data.set([values[i] as number, values[i] as number, values[i] as number, 255], i * 4);
  return img;
}

function filled(side: number, rgb: readonly [number, number, number]): RgbaImage {
  const img = createRgba(side, side);
  for (let i = 0; i < side * side; i++) img.data.set([...rgb, 255], i * 4);
  return img;
}

describe('truncatedDepthStandardization (4M DepthTransform)', () => {
  it('uses the mean and unbiased variance of the middle 80 % of sorted values', () => {
    const d = Float32Array.from([10, 0, 1, 2, 3, 4, 5, 6, 7, 100]);
    // Kept: sorted[1:9] = 1…7 and 10 → mean 4.75, unbiased variance over 8 values.
    const kept = [1, 2, 3, 4, 5, 6, 7, 10];
    const mean = kept.reduce((a, b) => a + b) / 8;
    const variance = kept.reduce((a, b) => a + (b - mean) ** 2, 0) / 7;
    const got = truncatedDepthStandardization(d);
    d.forEach((v, i) => expect(got[i]).toBeCloseTo((v - mean) / Math.sqrt(variance + 1e-6), 5));
  });

  it('a flat map stays finite (all zeros)', () => {
    expect(Array.from(truncatedDepthStandardization(new Float32Array(16).fill(0.3)))).toEqual(new Array(16).fill(0));
  });
});

describe('a painted picture → the DiVAE encoder input', () => {
  it('depth: white (near) gives the low standardized values, black (far) the high ones, as 4M depth grows with distance', () => {
    const values = Array.from({ length: 256 }, (_, i) => (i < 128 ? 255 : 0));
    const x = divaeInputFromPicture('depth', grey(values, 16), { ...OPTS, channels: 1 });
    expect(x.length).toBe(256);
    expect(x[0]).toBeLessThan(0);
    expect(x[255]).toBeGreaterThan(0);
    // Half near, half far: about ±1 (the middle 80 % keeps a few more near values than far ones).
    expect(x[0]).toBeCloseTo(-1, 1);
    expect(x[255]).toBeCloseTo(1, 1);
  });

  it('edges: white edges on black map to [−1, 1] linearly, one channel; soft borders kept', () => {
    const x = divaeInputFromPicture('edge', grey(Array.from({ length: 256 }, (_, i) => [0, 255, 128][i % 3] as number), 16), { ...OPTS, channels: 1 });
    expect([x[0], x[1], x[2]].map((v) => Math.round((v as number) * 1000) / 1000)).toEqual([-1, 1, 0.004]);
  });

  it('normals: RGB bytes / 127.5 − 1 per channel, channel-major', () => {
    const img = filled(16, [128, 64, 255]);
    const x = divaeInputFromPicture('normal', img, { ...OPTS, channels: 3 });
    expect(x.length).toBe(3 * 256);
    expect([x[0], x[256], x[512]].map((v) => Math.round((v as number) * 1000) / 1000)).toEqual([0.004, -0.498, 1]);
  });

  it('other sizes are centre-cropped and scaled to the tokenizer size', () => {
    const x = divaeInputFromPicture('edge', grey(new Array(40 * 40).fill(255), 40), { ...OPTS, channels: 1 });
    expect(x.length).toBe(256);
    expect(x.every((v) => Math.abs(v - 1) < 1e-6)).toBe(true);
  });

  it('refuses what the layer cannot be, saying what it takes', () => {
    const turboDepth = createRgba(16, 16);
    for (let i = 0; i < 256; i++) turboDepth.data.set([...turbo(i / 255), 255], i * 4);
    expect(() => divaeInputFromPicture('depth', turboDepth, { ...OPTS, channels: 1 })).toThrow(PaintedPictureError);
    expect(() => divaeInputFromPicture('depth', turboDepth, { ...OPTS, channels: 1 })).toThrow(/inputs\.tok_depth@224: the picture is in colour \(\d+ % of its pixels\); depth takes a grey depth map \(white = near, black = far\), not a colour-mapped render/);
    expect(() => divaeInputFromPicture('edge', filled(16, [200, 30, 30]), { ...OPTS, channels: 1 })).toThrow(/edge takes a grey edge map \(white edges on black\)/);
    expect(() => divaeInputFromPicture('normal', filled(16, [128, 128, 128]), { ...OPTS, channels: 3 })).toThrow(/the picture is grey; surface normals take an RGB-encoded normal map/);
    expect(() => divaeInputFromPicture('depth', grey([1, 2, 3, 4, 5, 6, 7, 8, 9], 3), { ...OPTS, channels: 1 })).toThrow('the picture is 3×3 px; depth needs at least 4×4 (one pixel per token; it is scaled to 16×16)');
    expect(() => divaeInputFromPicture('depth', { width: 16, height: 16, data: new Uint8Array(10) }, { ...OPTS, channels: 1 })).toThrow('the picture is malformed (16×16 with 10 bytes');
    expect(() => divaeInputFromPicture('normal', filled(16, [128, 64, 255]), { ...OPTS, channels: 1 })).toThrow('the tokenizer encodes 1 channel(s); normal needs 3');
  });
});

describe('a decoded depth as the editor\'s layer, and back', () => {
  it('is grey with near (low standardized depth) white, turbo only for the display', () => {
    const values = Float32Array.from({ length: 16 }, (_, i) => i / 15 - 0.5);
    const img = divaeImage('depth', values, 1, 4, 4);
    const layer = layerImage(img);
    expect(layer).toBe(img.layerPixels);
    expect(Array.from(layer.data.slice(0, 4))).toEqual([255, 255, 255, 255]);
    expect(Array.from(layer.data.slice(60, 64))).toEqual([0, 0, 0, 255]);
    expect(Array.from(img.rgba.data.slice(0, 3))).toEqual(turbo(0));
    // RGB, normals and edges are their display picture.
    const rgb = divaeImage('rgb', new Float32Array(48), 3, 4, 4);
    expect(layerImage(rgb)).toBe(rgb.rgba);
  });

  it('a decoded depth re-encodes to its own standardized values (up to 8-bit rounding)', () => {
    const side = 32;
    const v = Float32Array.from({ length: side * side }, (_, i) => Math.sin(i / 37) * 1.3 + (i % side) / side);
    const back = divaeInputFromPicture('depth', layerImage(divaeImage('depth', v, 1, side, side)), { size: side, grid: 2, where: 'depth', channels: 1 });
    const want = truncatedDepthStandardization(v);
    let maxDiff = 0;
    want.forEach((w, i) => (maxDiff = Math.max(maxDiff, Math.abs(w - (back[i] as number)))));
    expect(maxDiff).toBeLessThan(0.02);
  });
});
