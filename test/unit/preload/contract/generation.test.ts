import { describe, expect, it } from 'vitest';
import { GenerationRequest, validateGenerationRequest } from '../../../../preload/contract/generation';
import { conditionsFromRequest, maxTokensFromRequest, targetSettingsFromRequest, variationSeed } from '../../../../models/sampling';

const valid = () => ({
  version: 1,
  modelId: '4m-studio-small@1',
  seed: 1234,
  inputs: {
    caption: { kind: 'text', text: 'a lake house with a boat in front [S_1]' },
    'tok_rgb@224': { kind: 'image-tokens', tokens: [5, 6, 7, 8], keepMask: [1, 0, 0, 1] },
  },
  targets: [
    {
      modality: 'tok_clip@224',
      scheme: 'roar',
      steps: 50,
      tokenSchedule: 'linear',
      temperature: 5,
      temperatureSchedule: 'onex:0.5:0.5',
      cfgScale: 3,
      topK: 0,
      topP: 0.8,
    },
    {
      modality: 'tok_rgb@224',
      scheme: 'maskgit',
      steps: 8,
      tokenSchedule: 'cosine',
      temperature: 1,
      temperatureSchedule: 'constant',
      cfgScale: 2,
      cfgConditionWeights: { caption: 3, 'tok_clip@224': -0.5 },
      topK: 0.1,
      topP: 0,
    },
    {
      modality: 'det',
      scheme: 'autoregressive',
      steps: 1,
      tokenSchedule: 'linear',
      temperature: 0.7,
      temperatureSchedule: 'constant',
      cfgScale: 1,
      topK: 0,
      topP: 0.8,
      maxTokens: 256,
    },
  ],
  cfgGrowConditioning: true,
  variations: 4,
});

describe('GenerationRequest', () => {
  it('accepts a full request and survives a JSON round trip unchanged', () => {
    const parsed = GenerationRequest.parse(valid());
    expect(GenerationRequest.parse(JSON.parse(JSON.stringify(parsed)))).toEqual(parsed);
  });

  it('names the field in every error', () => {
    const bad = valid();
    bad.targets[0]!.steps = 0;
    (bad.targets[0] as { temperatureSchedule: string }).temperatureSchedule = 'onex:fast';
    bad.targets[1]!.topP = 2;
    const r = validateGenerationRequest(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.some((e) => e.startsWith('targets.0.steps:'))).toBe(true);
    expect(r.errors.some((e) => e.startsWith('targets.0.temperatureSchedule:'))).toBe(true);
    expect(r.errors.some((e) => e.startsWith('targets.1.topP:'))).toBe(true);
  });

  it('rejects wrong versions, seeds and top-k values', () => {
    expect(validateGenerationRequest({ ...valid(), version: 2 }).ok).toBe(false);
    expect(validateGenerationRequest({ ...valid(), seed: -1 }).ok).toBe(false);
    expect(validateGenerationRequest({ ...valid(), seed: 2.5 }).ok).toBe(false);
    const bad = valid();
    bad.targets[0]!.topK = 2.5;
    expect(validateGenerationRequest(bad).ok).toBe(false);
  });

  it('checks inpainting masks and guidance weights', () => {
    const noMask = valid();
    delete (noMask.inputs['tok_rgb@224'] as { keepMask?: number[] }).keepMask;
    expect(validateGenerationRequest(noMask)).toMatchObject({ ok: false, errors: [expect.stringMatching(/^inputs\.tok_rgb@224\.keepMask:/)] });

    const wrongLength = valid();
    wrongLength.inputs['tok_rgb@224'].keepMask = [1, 0];
    expect(validateGenerationRequest(wrongLength)).toMatchObject({ ok: false, errors: [expect.stringMatching(/expected 4 entries/)] });

    const unknownCond = valid();
    (unknownCond.targets[1] as { cfgConditionWeights?: Record<string, number> }).cfgConditionWeights = { depth: 1 };
    expect(validateGenerationRequest(unknownCond)).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^targets\.1\.cfgConditionWeights\.depth:/)],
    });

    // Independent targets never see each other, so a weight on an earlier target is an error.
    const independent = { ...valid(), independentTargets: true };
    expect(validateGenerationRequest(independent)).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^targets\.1\.cfgConditionWeights\.tok_clip@224: .*independent/)],
    });
    delete (independent.targets[1] as { cfgConditionWeights?: Record<string, number> }).cfgConditionWeights;
    expect(validateGenerationRequest(independent).ok).toBe(true);

    const duplicate = valid();
    duplicate.targets[2]!.modality = 'tok_clip@224';
    expect(validateGenerationRequest(duplicate).ok).toBe(false);
  });

  it('refuses names every JavaScript object answers to (constructor, toString, __proto__ …) as modalities and pixel refs, naming the field', () => {
    const target = valid();
    target.targets[2]!.modality = 'constructor';
    expect(validateGenerationRequest(target)).toMatchObject({ ok: false, errors: [expect.stringMatching(/^targets\.2\.modality: "constructor" is a reserved name/)] });
    const input = { ...valid(), inputs: { toString: { kind: 'text', text: 'x' } } };
    expect(validateGenerationRequest(input)).toMatchObject({ ok: false, errors: [expect.stringMatching(/^inputs\.toString: /)] });
    const ref = { ...valid(), inputs: { ...valid().inputs, 'tok_depth@224': { kind: 'image-pixels', ref: 'hasOwnProperty' } } };
    expect(validateGenerationRequest(ref)).toMatchObject({ ok: false, errors: [expect.stringMatching(/^inputs\.tok_depth@224\.ref: "hasOwnProperty" is a reserved name/)] });
    // A guidance weight on 'constructor' is not "an input" just because {}.constructor exists.
    const weight = valid();
    (weight.targets[1] as { cfgConditionWeights?: Record<string, number> }).cfgConditionWeights = { constructor: 1 };
    expect(validateGenerationRequest(weight)).toMatchObject({ ok: false, errors: [expect.stringMatching(/^targets\.1\.cfgConditionWeights\.constructor: /)] });
    // A "__proto__" key is dropped by the parser (it never reaches the request's prototype).
    const proto = GenerationRequest.parse(JSON.parse(JSON.stringify(valid()).replace('"inputs":{', '"inputs":{"__proto__":{"kind":"text","text":"x"},')));
    expect(Object.keys(proto.inputs)).toEqual(['caption', 'tok_rgb@224']);
    expect(Object.getPrototypeOf(proto.inputs)).not.toHaveProperty('kind');
    // Names the app writes are untouched.
    expect(validateGenerationRequest(valid()).ok).toBe(true);
  });

  it('records of modalities hold at most 64 entries, counted before any is parsed (a million tiny inputs kept the harness and the host busy for seconds each)', () => {
    const many = Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`m${i}`, { kind: 'text', text: '' }]));
    const started = performance.now();
    expect(validateGenerationRequest({ ...valid(), inputs: many })).toMatchObject({ ok: false, errors: ['inputs: expected at most 64 entries'] });
    const weights = valid();
    (weights.targets[1] as { cfgConditionWeights?: Record<string, number> }).cfgConditionWeights = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`c${i}`, 1]));
    expect(validateGenerationRequest(weights)).toMatchObject({ ok: false, errors: ['targets.1.cfgConditionWeights: expected at most 64 entries'] });
    expect(performance.now() - started).toBeLessThan(2_000); // the entries themselves are never parsed
    const sixtyFour = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`m${i}`, { kind: 'text', text: '' }]));
    expect(GenerationRequest.safeParse({ ...valid(), inputs: sixtyFour, targets: [valid().targets[2]] }).success).toBe(true);
  });

  it('maps onto the planner: inpainted modalities are targets, not conditions', () => {
    const req = GenerationRequest.parse(valid());
    expect(conditionsFromRequest(req)).toEqual(['caption']);
    expect(targetSettingsFromRequest(req).map((t) => t.modality)).toEqual(['tok_clip@224', 'tok_rgb@224', 'det']);
    expect(variationSeed(req, 2)).toBe(1236);
    expect(maxTokensFromRequest(req)).toEqual({ det: 256 });
  });
});
