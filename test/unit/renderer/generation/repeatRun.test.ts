import { describe, expect, test } from 'vitest';
import { createDocument, DocumentStore, paintPixels, setLayerProps } from '../../../../renderer/src/document';
import { buildGenerationRequest } from '../../../../renderer/src/generation/buildRequest';
import { decideSeed, MAX_SEED, runFingerprint, seedsInGallery, settingsFingerprint, type LastRun, type SeedChoice } from '../../../../renderer/src/generation/repeatRun';
import { DEFAULT_SAMPLING, defaultTarget } from '../../../../renderer/src/generation/settings';
import { testManifest } from '../document/fixtures';

/** A quick stand-in for SHA-256: the refs only need to follow the pixels. */
const hash = async (bytes: Uint8Array): Promise<string> => bytes.reduce((h, b) => (h * 31 + b) >>> 0, 7).toString(16);

test('the same layers, settings and seed give the same fingerprint; a painted pixel or another seed does not', async () => {
  const store = new DocumentStore(createDocument(testManifest()));
  store.apply(setLayerProps(store.state, 'rgb', { role: 'condition' }), { history: 'record' });
  store.apply(setLayerProps(store.state, 'depth', { role: 'generate' }), { history: 'record' });
  store.apply(paintPixels(store.state, 'rgb', { x: 0, y: 0, w: 2, h: 2 }, new Uint8Array(12).fill(90)), { history: 'record' });
  const fingerprint = async (seed: number): Promise<string> => {
    const built = await buildGenerationRequest(store.state, { modelId: 'test-model', coordBins: 1000, seed, targets: [defaultTarget('depth', 'image')], sampling: DEFAULT_SAMPLING, hash });
    return runFingerprint(built.request);
  };
  const first = await fingerprint(1);
  expect(await fingerprint(1)).toBe(first);
  expect(await fingerprint(2)).not.toBe(first);
  store.apply(paintPixels(store.state, 'rgb', { x: 5, y: 5, w: 1, h: 1 }, Uint8Array.of(1, 2, 3)), { history: 'record' });
  expect(await fingerprint(1)).not.toBe(first);
});

describe('decideSeed: Generate pressed again means another picture', () => {
  const settings = settingsFingerprint({ modelId: 'm', seed: 1234, targets: [], inputs: {} });
  const choice = (over: Partial<SeedChoice> = {}): SeedChoice => ({ settings, seed: 1234, variations: 1, chosen: false, random: false, taken: new Set(), ...over });
  const last: LastRun = { settings, seed: 1234, variations: 1 };

  test('a first run, or one with other settings or another seed, runs as asked', () => {
    expect(decideSeed(choice(), null)).toEqual({ kind: 'as-is', repeat: false });
    expect(decideSeed(choice({ settings: 'other' }), last)).toEqual({ kind: 'as-is', repeat: false });
    expect(decideSeed(choice({ seed: 99 }), last)).toEqual({ kind: 'as-is', repeat: false });
    expect(decideSeed(choice({ variations: 2 }), last)).toEqual({ kind: 'as-is', repeat: false });
  });

  test('the same request again, unasked, moves on to the next seed', () => {
    expect(decideSeed(choice(), last)).toEqual({ kind: 'next', seed: 1235 });
  });

  test('a seed chosen since the last run (typed, or recalled by Run again) repeats on purpose', () => {
    expect(decideSeed(choice({ chosen: true }), last)).toEqual({ kind: 'as-is', repeat: true });
  });

  test('a random seed has nothing to move on from', () => {
    expect(decideSeed(choice({ random: true }), last)).toEqual({ kind: 'as-is', repeat: true });
  });

  test('seeds the gallery holds for the same request are skipped', () => {
    expect(decideSeed(choice({ taken: new Set([1234, 1235, 1236, 1240]) }), last)).toEqual({ kind: 'next', seed: 1237 });
  });

  test('after a run of variations (seed … seed + n − 1) the next set starts after them, clear of taken seeds', () => {
    const four: LastRun = { settings, seed: 1234, variations: 4 };
    expect(decideSeed(choice({ variations: 4 }), four)).toEqual({ kind: 'next', seed: 1238 });
    // 1240 is taken: 1238…1241 would repeat it, so the set starts at 1241.
    expect(decideSeed(choice({ variations: 4, taken: new Set([1240]) }), four)).toEqual({ kind: 'next', seed: 1241 });
  });

  test('a seed the gallery already holds for these settings is a repeat too (a reopened project has no last run)', () => {
    expect(decideSeed(choice({ taken: new Set([1234, 1235]) }), null)).toEqual({ kind: 'next', seed: 1236 });
    expect(decideSeed(choice({ variations: 2, taken: new Set([1235]) }), null)).toEqual({ kind: 'next', seed: 1236 });
    expect(decideSeed(choice({ taken: new Set([1234]), chosen: true }), null)).toEqual({ kind: 'as-is', repeat: true });
    expect(decideSeed(choice({ taken: new Set([1233, 1235]) }), null)).toEqual({ kind: 'as-is', repeat: false });
  });

  test('past the largest seed it wraps to 0', () => {
    expect(decideSeed(choice({ seed: MAX_SEED }), { settings, seed: MAX_SEED, variations: 1 })).toEqual({ kind: 'next', seed: 0 });
  });
});

describe('the gallery seeds for a request', () => {
  test('entries with the same settings count whatever their seed, variation count or key order; others and junk do not', () => {
    const request = { modelId: 'm', seed: 5, variations: 3, targets: [{ modality: 'rgb', steps: 8 }], inputs: {} };
    const settings = settingsFingerprint(request);
    const gallery = [
      { request: { inputs: {}, targets: [{ steps: 8, modality: 'rgb' }], modelId: 'm', seed: 6, variations: 1 } },
      { request: { ...request, seed: 7 } },
      { request: { ...request, seed: 8, targets: [{ modality: 'rgb', steps: 16 }] } },
      { request: null },
      { request: 'junk' },
      { request: { ...request, seed: 'x' } },
    ];
    expect([...seedsInGallery(gallery, settings)].sort()).toEqual([6, 7]);
  });
});
