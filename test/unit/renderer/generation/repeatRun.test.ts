import { expect, test } from 'vitest';
import { createDocument, DocumentStore, paintPixels, setLayerProps } from '../../../../renderer/src/document';
import { buildGenerationRequest } from '../../../../renderer/src/generation/buildRequest';
import { runFingerprint } from '../../../../renderer/src/generation/repeatRun';
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
