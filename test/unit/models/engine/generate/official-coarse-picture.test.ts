/**
 * The 224 picture condition derived from the 448 picture on the SR model (official-coarse-picture.ts):
 * PIL-bicubic downsampling (byte-exact against PIL in pil-resize.test.ts), the region's patches hidden on the coarse grid, and which pixel inputs a request
 * on the 4M-7-SR-layout fixture's table gets derived.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GenerationRequest } from '../../../../../preload/contract/generation';
import { officialModalityTable } from '../../../../../models/engine/fm/official-modalities';
import { coarseKeepMask, coarsePictures, coarsePixels, coarseRef, withCoarsePictures } from '../../../../../models/engine/generate/official-coarse-picture';
import { parseFmConfig } from '../../../../../models/registry/checkpoint-config';

const srRaw = (JSON.parse(readFileSync(join(__dirname, '../../../../fixtures/official-fm-sr/checkpoint.json'), 'utf8')) as { config: Record<string, unknown> }).config;
const parsed = parseFmConfig(srRaw);
if (!parsed.ok) throw new Error(parsed.error);
const table = officialModalityTable(parsed.config, 'SR fixture config');
const target = { scheme: 'maskgit', steps: 2, tokenSchedule: 'cosine', temperature: 1, temperatureSchedule: 'constant', cfgScale: 1, topK: 0, topP: 0 } as const;

describe('coarsePixels', () => {
  it('shrinks the source by the factor with PIL bicubic (flat stays flat) and checks its size', () => {
    const src = { width: 8, height: 8, data: new Uint8Array(8 * 8 * 4).fill(90) };
    const out = coarsePixels(src, { sourceSize: 8, factor: 2 });
    expect([out.width, out.height]).toEqual([4, 4]);
    expect(Array.from(new Set(out.data))).toEqual([90]);
    expect(() => coarsePixels(src, { sourceSize: 16, factor: 2 })).toThrow('the source picture is 8×8, expected 16×16');
  });
});

describe('coarseKeepMask', () => {
  it('a coarse cell is kept only when all its fine cells are', () => {
    // 4×4 fine, one regenerated cell at (1, 2): the coarse cell (0, 1) is hidden.
    const keep = new Array<number>(16).fill(1);
    keep[1 * 4 + 2] = 0;
    expect(coarseKeepMask(keep, 4, 4, 2)).toEqual([1, 0, 1, 1]);
    expect(() => coarseKeepMask([1, 1], 4, 4, 2)).toThrow('keep mask has 2 entries, the 4×4 grid 16');
  });
});

describe('coarsePictures on the SR layout', () => {
  it('a region of tok_rgb@448 given as a picture: rgb@224 from it, hidden over the region', () => {
    const keep = new Array<0 | 1>(784).fill(1);
    for (const [r, c] of [[10, 10], [10, 11], [11, 10], [11, 11], [3, 5]]) keep[(r as number) * 28 + (c as number)] = 0;
    const request: GenerationRequest = { version: 1, modelId: 'sr', seed: 1, cfgGrowConditioning: true, inputs: { 'tok_rgb@448': { kind: 'image-pixels', ref: 'sha256:abc', keepMask: keep } }, targets: [{ modality: 'tok_rgb@448', ...target }] };
    const [c, ...rest] = coarsePictures(table, request);
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ name: 'rgb@224', from: 'tok_rgb@448', ref: 'sha256:abc', sourceSize: 448, factor: 2 });
    const hidden = c!.keepMask.flatMap((k, i) => (k === 0 ? [i] : []));
    expect(hidden).toEqual([1 * 14 + 2, 5 * 14 + 5]);
    const out = withCoarsePictures(request, [c!]);
    expect(out.inputs['rgb@224']).toEqual({ kind: 'image-pixels', ref: 'sha256:abc#1/2', keepMask: c!.keepMask });
    expect(coarseRef(c!)).toBe('sha256:abc#1/2');
    expect(out.inputs['tok_rgb@448']).toBe(request.inputs['tok_rgb@448']);
  });

  it('the rgb@448 picture as a condition gives a whole rgb@224; nothing is derived when the request gives rgb@224, gives tokens, or regenerates everything', () => {
    const base: Omit<GenerationRequest, 'inputs'> = { version: 1, modelId: 'sr', seed: 1, cfgGrowConditioning: true, targets: [{ modality: 'tok_semseg@448', ...target }] };
    const whole = coarsePictures(table, { ...base, inputs: { 'rgb@448': { kind: 'image-pixels', ref: 'p' } } });
    expect(whole).toHaveLength(1);
    expect(whole[0]!.keepMask.every((k) => k === 1)).toBe(true);
    expect(withCoarsePictures({ ...base, inputs: {} }, whole).inputs['rgb@224']).toEqual({ kind: 'image-pixels', ref: 'p#1/2' });
    expect(coarsePictures(table, { ...base, inputs: { 'rgb@448': { kind: 'image-pixels', ref: 'p' }, 'rgb@224': { kind: 'image-pixels', ref: 'q' } } })).toEqual([]);
    expect(coarsePictures(table, { ...base, inputs: { 'tok_rgb@448': { kind: 'image-tokens', tokens: new Array<number>(784).fill(1) } } })).toEqual([]);
    expect(coarsePictures(table, { ...base, inputs: { 'tok_rgb@448': { kind: 'image-pixels', ref: 'p', keepMask: new Array<0 | 1>(784).fill(0) } } })).toEqual([]);
    // A 224 picture gives no 448 one (only coarser pictures are derived).
    expect(coarsePictures(table, { ...base, inputs: { 'rgb@224': { kind: 'image-pixels', ref: 'q' } } })).toEqual([]);
  });
});
