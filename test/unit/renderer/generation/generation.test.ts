import { describe, expect, test } from 'vitest';
import { MAX_TARGET_STEPS, MAX_VARIATIONS, validateGenerationRequest } from '../../../../preload/contract/generation';
import { serializeColorPalette, serializeDet } from '../../../../models/tokenizers/sequence';
import { createDocument, DocumentStore, paintPixels, setLayerProps, setMask, setText, type Box } from '../../../../renderer/src/document';
import { buildGenerationRequest, clampCount } from '../../../../renderer/src/generation/buildRequest';
import { deriveView } from '../../../../renderer/src/generation/deriveView';
import { boxesToDetText, paletteToText } from '../../../../renderer/src/generation/sequenceText';
import { clampField, DEFAULT_SAMPLING, defaultTarget, hasOverrides, overridesAgainst, predictionSampling, predictionTarget } from '../../../../renderer/src/generation/settings';
import { limitedManifest, testManifest } from '../document/fixtures';

const hash = async (bytes: Uint8Array): Promise<string> => `len${bytes.length}`;

function doc(): DocumentStore {
  const s = new DocumentStore(createDocument(testManifest()));
  const rec = (u: Parameters<DocumentStore['apply']>[0]): void => s.apply(u, { history: 'record' });
  rec(paintPixels(s.state, 'semseg', { x: 0, y: 0, w: 32, h: 32 }, new Uint8Array(32 * 32).fill(1)));
  rec(setLayerProps(s.state, 'semseg', { role: 'condition' }));
  rec(setText(s.state, 'caption', '  a red cube  '));
  rec(setLayerProps(s.state, 'caption', { role: 'condition' }));
  rec(setLayerProps(s.state, 'rgb', { role: 'generate' }));
  rec(setLayerProps(s.state, 'depth', { role: 'generate' }));
  return s;
}

const targets = testManifest().modalities.map((m) => defaultTarget(m.id, m.kind));

describe('buildGenerationRequest', () => {
  test('conditions become inputs, generate layers targets in chain order; the request validates', async () => {
    const s = doc();
    const order = [targets[1]!, targets[0]!, ...targets.slice(2)]; // depth before rgb
    const built = await buildGenerationRequest(s.state, { modelId: 'test-model', coordBins: 256, seed: 7, targets: order, sampling: DEFAULT_SAMPLING, hash });
    expect(built.request.targets.map((t) => t.modality)).toEqual(['depth', 'rgb']);
    expect(built.request.inputs['caption']).toEqual({ kind: 'text', text: 'a red cube' });
    expect(built.request.inputs['semseg']).toEqual({ kind: 'image-pixels', ref: `sha256:len${32 * 32 * 4}` });
    expect(Object.keys(built.images)).toEqual([`sha256:len${32 * 32 * 4}`]);
    const v = validateGenerationRequest(JSON.parse(JSON.stringify(built.request)));
    expect(v.ok ? [] : v.errors).toEqual([]);
  });

  test('typed step and variation counts beyond the fields\' max are clamped to what the contract accepts', async () => {
    const s = doc();
    const huge = targets.map((t) => ({ ...t, steps: 4096 }));
    const built = await buildGenerationRequest(s.state, { modelId: 'm', coordBins: 256, seed: 1, targets: huge, sampling: { ...DEFAULT_SAMPLING, variations: 64 }, hash });
    expect(built.request.targets.every((t) => t.steps === MAX_TARGET_STEPS)).toBe(true);
    expect(built.request.variations).toBe(MAX_VARIATIONS);
    expect(validateGenerationRequest(JSON.parse(JSON.stringify(built.request))).ok).toBe(true);
    expect([clampCount(Number.NaN, 8), clampCount(-3, 8), clampCount(2.6, 8)]).toEqual([1, 1, 3]);
    const tooMany = { ...built.request, variations: MAX_VARIATIONS + 1, targets: built.request.targets.map((t) => ({ ...t, steps: MAX_TARGET_STEPS + 1 })) };
    const v = validateGenerationRequest(tooMany);
    expect(v.ok ? [] : v.errors.join('\n')).toMatch(/steps[\s\S]*variations|variations[\s\S]*steps/);
  });

  test('per-target temperature, guidance and top-p override the shared ones for that target only', async () => {
    const s = doc();
    const withOverride = targets.map((t) => (t.modality === 'depth' ? { ...t, temperature: 0.3, cfgScale: 4, topP: undefined } : t));
    const built = await buildGenerationRequest(s.state, { modelId: 'm', coordBins: 256, seed: 1, targets: withOverride, sampling: DEFAULT_SAMPLING, hash });
    const byName = Object.fromEntries(built.request.targets.map((t) => [t.modality, t]));
    expect(byName['depth']).toMatchObject({ temperature: 0.3, cfgScale: 4, topP: DEFAULT_SAMPLING.topP });
    expect(byName['rgb']).toMatchObject({ temperature: DEFAULT_SAMPLING.temperature, cfgScale: DEFAULT_SAMPLING.cfgScale, topP: DEFAULT_SAMPLING.topP });
    expect(hasOverrides(withOverride.find((t) => t.modality === 'depth')!)).toBe(true);
    expect(hasOverrides(withOverride.find((t) => t.modality === 'rgb')!)).toBe(false);
  });

  test('token choice: Faithful asks for the expected code on that image target only; Sample (the default) adds nothing', async () => {
    const s = doc();
    const faithful = targets.map((t) => (t.modality === 'rgb' ? { ...t, tokenChoice: 'expected-code' as const } : t.modality === 'depth' ? { ...t, tokenChoice: 'sample' as const } : t));
    const built = await buildGenerationRequest(s.state, { modelId: 'm', coordBins: 256, seed: 1, targets: faithful, sampling: DEFAULT_SAMPLING, hash });
    const byName = Object.fromEntries(built.request.targets.map((t) => [t.modality, t]));
    expect(byName['rgb']?.tokenChoice).toBe('expected-code');
    expect(byName['depth']).not.toHaveProperty('tokenChoice');
    // The contract takes it, and it survives the JSON trip to the host as it is.
    const v = validateGenerationRequest(JSON.parse(JSON.stringify(built.request)));
    expect(v.ok && v.request.targets.find((t) => t.modality === 'rgb')?.tokenChoice).toBe('expected-code');
    // A sequence target generated token by token never asks for it.
    s.apply(setText(s.state, 'caption', ''), { history: 'record' });
    s.apply(setLayerProps(s.state, 'caption', { role: 'generate' }), { history: 'record' });
    const text = await buildGenerationRequest(s.state, { modelId: 'm', coordBins: 256, seed: 1, targets: targets.map((t) => ({ ...t, tokenChoice: 'expected-code' as const })), sampling: DEFAULT_SAMPLING, hash });
    expect(text.request.targets.find((t) => t.modality === 'caption')).not.toHaveProperty('tokenChoice');
  });

  test('smoothing goes with sampled image targets only: not with Faithful, sequences or a prediction, and 0 sends nothing', async () => {
    const s = doc();
    s.apply(setText(s.state, 'caption', ''), { history: 'record' });
    s.apply(setLayerProps(s.state, 'caption', { role: 'generate' }), { history: 'record' });
    const mixed = targets.map((t) => (t.modality === 'depth' ? { ...t, tokenChoice: 'expected-code' as const } : t));
    const built = await buildGenerationRequest(s.state, { modelId: 'm', coordBins: 256, seed: 1, targets: mixed, sampling: { ...DEFAULT_SAMPLING, neighbourAgreement: 1.5 }, hash });
    const byName = Object.fromEntries(built.request.targets.map((t) => [t.modality, t]));
    expect(byName['rgb']?.neighbourAgreement).toBe(1.5);
    expect(byName['depth']).not.toHaveProperty('neighbourAgreement');
    expect(byName['caption']).not.toHaveProperty('neighbourAgreement');
    expect(validateGenerationRequest(JSON.parse(JSON.stringify(built.request))).ok).toBe(true);
    const off = await buildGenerationRequest(s.state, { modelId: 'm', coordBins: 256, seed: 1, targets, sampling: { ...DEFAULT_SAMPLING, neighbourAgreement: 0 }, hash });
    expect(off.request.targets.some((t) => 'neighbourAgreement' in t)).toBe(false);
    expect(predictionSampling({ ...DEFAULT_SAMPLING, neighbourAgreement: 2 }).neighbourAgreement).toBe(0);
    expect(clampField('neighbourAgreement', '99', 1)).toBe(10);
  });

  test('derive predicts: one greedy ROAR step per image layer, each target from the conditions alone', async () => {
    const s = doc();
    const manifest = testManifest();
    // Derive's view: one painted layer is the condition, every other layer a target.
    const predict = manifest.modalities.filter((m) => m.id !== 'semseg').map((m) => predictionTarget(m.id, m.kind));
    const built = await buildGenerationRequest(deriveView(s.state, 'semseg'), { modelId: 'm', coordBins: 256, seed: 1, targets: predict, sampling: predictionSampling(DEFAULT_SAMPLING), hash });
    expect(built.request.independentTargets).toBe(true);
    const depth = built.request.targets.find((t) => t.modality === 'depth');
    expect(depth).toMatchObject({ scheme: 'roar', steps: 1, temperature: 0.01, temperatureSchedule: 'constant', cfgScale: 2 });
    const caption = built.request.targets.find((t) => t.modality === 'caption');
    expect(caption).toMatchObject({ scheme: 'autoregressive', cfgScale: 1 });
    // Image controls (4M-21's metadata) are a text layer read near greedily, not at the caption's 0.3.
    expect(predictionTarget('metadata', 'text').temperature).toBe(0.1);
    expect(predictionTarget('caption', 'text').temperature).toBe(0.3);
    const v = validateGenerationRequest(JSON.parse(JSON.stringify(built.request)));
    expect(v.ok ? [] : v.errors).toEqual([]);
    // Generate keeps the chain unless the artist asks otherwise.
    const chained = await buildGenerationRequest(doc().state, { modelId: 'm', coordBins: 256, seed: 1, targets, sampling: DEFAULT_SAMPLING, hash });
    expect(chained.request.independentTargets).toBeUndefined();
  });

  test('recalling a request keeps, per target, only what differs from the first target', () => {
    const shared = { temperature: 1, cfgScale: 2, topP: 0.9 };
    expect(overridesAgainst({ temperature: 1, cfgScale: 2, topP: 0.9 }, shared)).toEqual({});
    expect(overridesAgainst({ temperature: 0.5, cfgScale: 2, topP: 0.8 }, shared)).toEqual({ temperature: 0.5, topP: 0.8 });
  });

  test('a masked target keeps the tokens outside its region', async () => {
    const s = doc();
    s.apply(paintPixels(s.state, 'rgb', { x: 0, y: 0, w: 32, h: 32 }, new Uint8Array(32 * 32 * 3).fill(50)), { history: 'record' });
    const mask = new Uint8Array(16);
    mask[5] = 1;
    s.apply(setMask(s.state, 'rgb', mask), { history: 'record' });
    const built = await buildGenerationRequest(s.state, { modelId: 'm', coordBins: 256, seed: 1, targets, sampling: DEFAULT_SAMPLING, hash });
    const input = built.request.inputs['rgb'];
    expect(input?.kind).toBe('image-pixels');
    expect(input && 'keepMask' in input ? input.keepMask : null).toEqual(Array.from(mask, (v) => 1 - v));
    const v = validateGenerationRequest(JSON.parse(JSON.stringify(built.request)));
    expect(v.ok ? [] : v.errors).toEqual([]);
  });

  test('Objects (SAM) is generated whole: autoregressive, and a region on it is refused naming the layer', async () => {
    const m = testManifest();
    const s = new DocumentStore(createDocument({ ...m, modalities: [...m.modalities, { id: 'sam_instance', kind: 'image', channels: 3, label: 'Objects (SAM)', canCondition: false, derivedFrom: ['rgb'] }] }));
    s.apply(paintPixels(s.state, 'rgb', { x: 0, y: 0, w: 32, h: 32 }, new Uint8Array(32 * 32 * 3).fill(50)), { history: 'record' });
    s.apply(setLayerProps(s.state, 'rgb', { role: 'condition' }), { history: 'record' });
    s.apply(setLayerProps(s.state, 'sam_instance', { role: 'generate' }), { history: 'record' });
    const chain = [defaultTarget('sam_instance', 'image')];
    const built = await buildGenerationRequest(s.state, { modelId: 'm', coordBins: 256, seed: 1, targets: chain, sampling: DEFAULT_SAMPLING, hash });
    expect(built.request.targets).toEqual([expect.objectContaining({ modality: 'sam_instance', scheme: 'autoregressive', temperature: 0.01 })]);
    // A generated objects layer with a region: nothing to keep outside it (the model writes a sequence).
    s.apply(paintPixels(s.state, 'sam_instance', { x: 0, y: 0, w: 32, h: 32 }, new Uint8Array(32 * 32 * 3)), { history: 'record' });
    const mask = new Uint8Array(16);
    mask[5] = 1;
    s.apply(setMask(s.state, 'sam_instance', mask), { history: 'record' });
    await expect(buildGenerationRequest(s.state, { modelId: 'm', coordBins: 256, seed: 1, targets: chain, sampling: DEFAULT_SAMPLING, hash })).rejects.toThrow('sam_instance: its objects are generated for the whole picture; clear its region');
  });

  test('Objects (SAM) as a condition go as their picture, even holding the model\'s (word) tokens', async () => {
    const m = testManifest();
    const s = new DocumentStore(createDocument({ ...m, modalities: [...m.modalities, { id: 'sam_instance', kind: 'image', channels: 3, label: 'Objects (SAM)', derivedFrom: ['rgb'] }] }));
    s.apply(paintPixels(s.state, 'sam_instance', { x: 4, y: 4, w: 10, h: 10 }, new Uint8Array(10 * 10 * 3).fill(200)), { history: 'record' });
    s.apply({ label: 'tokens', deltas: [{ type: 'tokens', layer: 'sam_instance', before: null, after: { ids: Int32Array.from([5, 6, 7]), agree: true } }] }, { history: 'record' });
    s.apply(setLayerProps(s.state, 'sam_instance', { role: 'condition' }), { history: 'record' });
    s.apply(setLayerProps(s.state, 'rgb', { role: 'generate' }), { history: 'record' });
    const built = await buildGenerationRequest(s.state, { modelId: 'm', coordBins: 256, seed: 1, targets: [defaultTarget('rgb', 'image')], sampling: DEFAULT_SAMPLING, hash });
    const input = built.request.inputs.sam_instance;
    expect(input?.kind).toBe('image-pixels');
    expect(input?.kind === 'image-pixels' ? built.images[input.ref]?.width : undefined).toBe(32);
  });

  test('a layer holding the model\'s tokens goes as its tokens, or as its pixels where the model asks for pictures (4M\'s SR model at 448)', async () => {
    const s = doc();
    s.apply(paintPixels(s.state, 'rgb', { x: 0, y: 0, w: 32, h: 32 }, new Uint8Array(32 * 32 * 3).fill(50)), { history: 'record' });
    const ids = Int32Array.from({ length: 16 }, (_, i) => i);
    s.apply({ label: 'tokens', deltas: [{ type: 'tokens', layer: 'rgb', before: s.state.layers.get('rgb')?.tokens ?? null, after: { ids, agree: true } }] }, { history: 'record' });
    const mask = new Uint8Array(16);
    mask[5] = 1;
    s.apply(setMask(s.state, 'rgb', mask), { history: 'record' });
    const keepMask = Array.from(mask, (v) => 1 - v);
    const asTokens = await buildGenerationRequest(s.state, { modelId: 'm', coordBins: 256, seed: 1, targets, sampling: DEFAULT_SAMPLING, hash });
    expect(asTokens.request.inputs['rgb']).toEqual({ kind: 'image-tokens', tokens: Array.from(ids), keepMask });
    const asPixels = await buildGenerationRequest(s.state, { modelId: 'm', coordBins: 256, seed: 1, targets, sampling: DEFAULT_SAMPLING, hash, picturesAsPixels: true });
    expect(asPixels.request.inputs['rgb']).toEqual({ kind: 'image-pixels', ref: `sha256:len${32 * 32 * 4}`, keepMask });
    expect(Object.keys(asPixels.images)).toContain(`sha256:len${32 * 32 * 4}`);
  });

  test('nothing to generate is a clear error; empty conditions are reported', async () => {
    const s = new DocumentStore(createDocument(testManifest()));
    s.apply(setLayerProps(s.state, 'depth', { role: 'condition' }), { history: 'record' });
    await expect(buildGenerationRequest(s.state, { modelId: 'm', coordBins: 256, seed: 1, targets, sampling: DEFAULT_SAMPLING, hash })).rejects.toThrow(/Nothing to generate/);
  });

  test('a target or condition the model cannot take is never sent: refused, naming the layer', async () => {
    const s = new DocumentStore(createDocument(limitedManifest()));
    s.apply(setText(s.state, 'caption', 'a cat'), { history: 'record' });
    s.apply(setLayerProps(s.state, 'caption', { role: 'generate' }), { history: 'record' });
    s.apply(setLayerProps(s.state, 'rgb', { role: 'generate' }), { history: 'record' });
    const build = () => buildGenerationRequest(s.state, { modelId: 'm', coordBins: 256, seed: 1, targets, sampling: DEFAULT_SAMPLING, hash });
    await expect(build()).rejects.toThrow('caption: this model cannot generate it');
    s.apply(setLayerProps(s.state, 'caption', { role: 'condition' }), { history: 'record' });
    s.apply(setLayerProps(s.state, 'depth', { role: 'condition' }), { history: 'record' });
    await expect(build()).rejects.toThrow('depth: this model cannot take it as a condition');
    s.apply(setLayerProps(s.state, 'depth', { role: 'ignore' }), { history: 'record' });
    expect((await build()).request.targets.map((t) => t.modality)).toEqual(['rgb']);
  });
});

test('boxes and palettes serialize exactly as the model tokenizers do', () => {
  const boxes: Box[] = [
    { id: 'a', x0: 0.5, y0: 0.5, x1: 0.75, y1: 0.9, label: 'red  cube' },
    { id: 'b', x0: 0.1, y0: 0.125, x1: 0.3, y1: 0.5, label: 'sphere' },
  ];
  expect(boxesToDetText(boxes, 256)).toBe(serializeDet(boxes, { coordBins: 256 }));
  const swatches = [[10, 20, 30], [255, 0, 127.5]] as const;
  expect(paletteToText(swatches)).toBe(serializeColorPalette(swatches, { coordBins: 256 }));
});

test('per-condition guidance weights are sent only when one differs from 1', async () => {
  const s = doc();
  const plain = await buildGenerationRequest(s.state, { modelId: 'm', coordBins: 256, seed: 1, targets, sampling: DEFAULT_SAMPLING, hash });
  expect(plain.request.targets.every((t) => t.cfgConditionWeights === undefined)).toBe(true);
  const sampling = { ...DEFAULT_SAMPLING, conditionWeights: { caption: 0.5 } };
  const built = await buildGenerationRequest(s.state, { modelId: 'm', coordBins: 256, seed: 1, targets, sampling, hash });
  expect(built.request.targets[0]?.cfgConditionWeights).toEqual({ semseg: 1, caption: 0.5 });
  const v = validateGenerationRequest(JSON.parse(JSON.stringify(built.request)));
  expect(v.ok ? [] : v.errors).toEqual([]);
});
