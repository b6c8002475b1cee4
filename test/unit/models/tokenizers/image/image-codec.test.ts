import { describe, expect, it } from 'vitest';
import {
  createRgba,
  depthFromUnit,
  depthToGrey,
  encoderInputFromRgba,
  fitToGrid,
  logDepthUnit,
  nearestClass,
  rgbaFromDecoderOutput,
  turbo,
} from '../../../../../models/tokenizers/image';

const classes = [
  { id: 0, color: [110, 170, 235] as const },
  { id: 1, color: [120, 110, 90] as const },
  { id: 2, color: [230, 80, 60] as const },
];

function solid(w: number, h: number, rgb: [number, number, number]) {
  const img = createRgba(w, h);
  for (let i = 0; i < w * h; i++) img.data.set([...rgb, 255], i * 4);
  return img;
}

describe('fitting images to the model grid', () => {
  it('keeps a flat colour flat at any size and in every mode', () => {
    for (const mode of ['crop', 'stretch', 'pad'] as const) {
      const out = fitToGrid(solid(300, 200, [10, 200, 30]), 128, 128, mode);
      expect([out.width, out.height]).toEqual([128, 128]);
      const centre = (64 * 128 + 64) * 4;
      expect(Array.from(out.data.subarray(centre, centre + 4))).toEqual([10, 200, 30, 255]);
    }
  });

  it('centre-crops: a wide image loses its sides, not its middle', () => {
    const img = solid(300, 100, [0, 0, 0]);
    for (let y = 0; y < 100; y++) for (let x = 100; x < 200; x++) img.data.set([255, 255, 255, 255], (y * 300 + x) * 4);
    const out = fitToGrid(img, 16, 16, 'crop');
    // The kept square is columns 100…199: all white.
    expect(Math.min(...Array.from(out.data).filter((_, i) => i % 4 === 0))).toBeGreaterThan(240);
  });

  it('letterboxes with black in pad mode', () => {
    const out = fitToGrid(solid(200, 100, [255, 255, 255]), 128, 128, 'pad');
    expect(Array.from(out.data.subarray(0, 4))).toEqual([0, 0, 0, 255]);
    const mid = (64 * 128 + 64) * 4;
    expect(out.data[mid]).toBe(255);
  });

  it('averages when downscaling (a 1-px checkerboard becomes mid grey) and keeps labels pure with nearest', () => {
    const img = createRgba(256, 256);
    for (let i = 0; i < 256 * 256; i++) img.data.set((i + Math.floor(i / 256)) % 2 ? [255, 255, 255, 255] : [0, 0, 0, 255], i * 4);
    const avg = fitToGrid(img, 128, 128, 'stretch', 'linear');
    expect(Math.abs((avg.data[(64 * 128 + 64) * 4] as number) - 128)).toBeLessThan(4);
    const near = fitToGrid(img, 128, 128, 'stretch', 'nearest');
    // No blended values: every output pixel is one of the input's two colours.
    expect(Array.from(near.data).filter((_, i) => i % 4 === 0).every((v) => v === 0 || v === 255)).toBe(true);
  });

  it('rejects a buffer that does not match its size, naming both', () => {
    expect(() => fitToGrid({ width: 4, height: 4, data: new Uint8Array(10) }, 2, 2)).toThrow(/10 bytes, expected 64 for 4×4 RGBA/);
  });
});

describe('domain codecs', () => {
  it('lays out RGB as planar float 0…255 and semseg as nearest class ids', () => {
    const img = solid(2, 1, [230, 80, 60]);
    img.data.set([112, 168, 230, 255], 4); // close to sky
    const rgb = encoderInputFromRgba('rgb', img, classes);
    expect(rgb.dims).toEqual([1, 3, 1, 2]);
    expect(Array.from(rgb.data as Float32Array)).toEqual([230, 112, 80, 168, 60, 230]);
    const seg = encoderInputFromRgba('semseg', img, classes);
    expect(seg.type).toBe('int64');
    expect(Array.from(seg.data as BigInt64Array)).toEqual([2n, 0n]);
  });

  it('round-trips depth through the grey file convention (white = near)', () => {
    const depth = Float32Array.of(0.5, 2, 10, 60);
    const grey = depthToGrey(depth, 4, 1);
    expect(grey.data[0]).toBe(255);
    expect(grey.data[12]).toBe(0);
    const back = encoderInputFromRgba('depth', grey, classes).data as Float32Array;
    back.forEach((v, i) => expect(Math.abs(Math.log(v / (depth[i] as number)))).toBeLessThan(0.02));
    expect(depthFromUnit(logDepthUnit(7))).toBeCloseTo(7, 6);
  });

  it('binarises edges', () => {
    const img = solid(2, 1, [200, 200, 200]);
    img.data.set([20, 20, 20, 255], 4);
    expect(Array.from(encoderInputFromRgba('edge', img, classes).data as Float32Array)).toEqual([255, 0]);
  });

  it('turns semseg probabilities into a class map in class colours', () => {
    // 3 classes, 1×2 pixels: pixel 0 → class 2, pixel 1 → class 1.
    const probs = Float32Array.of(0.1, 0.2, 0.2, 0.7, 0.7, 0.1);
    const out = rgbaFromDecoderOutput('semseg', probs, [1, 3, 1, 2], classes);
    expect(Array.from(out.classMap ?? [])).toEqual([2, 1]);
    expect(Array.from(out.rgba.data)).toEqual([230, 80, 60, 255, 120, 110, 90, 255]);
  });

  it('shows depth in turbo (near warm, far cool) and keeps metres', () => {
    const out = rgbaFromDecoderOutput('depth', Float32Array.of(0.5, 60), [1, 1, 1, 2], classes);
    expect(Array.from(out.depth ?? [])).toEqual([0.5, 60]);
    expect(Array.from(out.rgba.data.subarray(0, 3))).toEqual(turbo(1));
    expect(Array.from(out.rgba.data.subarray(4, 7))).toEqual(turbo(0));
    expect(turbo(1)[0]).toBeGreaterThan(turbo(1)[2]);
  });

  it('picks the nearest class colour, ties to the lower id', () => {
    expect(nearestClass(229, 81, 60, classes)).toBe(2);
    expect(nearestClass(115, 140, 162.5, classes)).toBe(0);
  });
});
