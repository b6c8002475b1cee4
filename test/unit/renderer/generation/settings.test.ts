import { describe, expect, test } from 'vitest';
import { PICTURE_SAMPLING } from '../../../../preload/contract/sampling-defaults';
import { applyQuality, clampField, DEFAULT_SAMPLING, defaultTarget, predictionTarget, qualityOf, samplingFor, schemesFor } from '../../../../renderer/src/generation/settings';

describe('typed values', () => {
  test('are brought into range and rounded where they count; junk keeps the old value', () => {
    expect(clampField('steps', '4096', 8)).toBe(256);
    expect(clampField('steps', '0', 8)).toBe(1);
    expect(clampField('steps', '7.6', 8)).toBe(8);
    expect(clampField('variations', '64', 1)).toBe(8);
    expect(clampField('topP', '1.5', 0.9)).toBe(1);
    expect(clampField('temperature', '-1', 1)).toBe(0);
    expect(clampField('seed', 'abc', 1234)).toBe(1234);
    expect(clampField('cfgScale', '', 3)).toBe(3);
  });
});

describe('quality presets', () => {
  const chain = [defaultTarget('rgb', 'image'), defaultTarget('caption', 'text')];
  test('the defaults are Balanced at the layout default; Fast halves and Best doubles every image target’s steps', () => {
    expect(chain[0]).toMatchObject({ scheme: PICTURE_SAMPLING.layout.scheme, steps: PICTURE_SAMPLING.layout.steps });
    expect(qualityOf(chain, DEFAULT_SAMPLING)).toBe('balanced');
    const fast = applyQuality(chain, DEFAULT_SAMPLING, 'fast');
    expect(fast.chain.map((t) => t.steps)).toEqual([PICTURE_SAMPLING.layout.steps / 2, 1]);
    expect(qualityOf(fast.chain, fast.sampling)).toBe('fast');
    const best = applyQuality(chain, DEFAULT_SAMPLING, 'best');
    expect(best.chain.map((t) => t.steps)).toEqual([PICTURE_SAMPLING.layout.steps * 2, 1]);
    expect(qualityOf(best.chain, best.sampling)).toBe('best');
    expect(qualityOf([{ ...chain[0]!, steps: 11 }], DEFAULT_SAMPLING)).toBeNull();
    expect(qualityOf(chain, { ...DEFAULT_SAMPLING, temperatureSchedule: 'constant' })).toBeNull();
  });

  test('with no image target (a fresh document, captions only) it reads Balanced, not the first preset that matches vacuously', () => {
    expect(qualityOf([], DEFAULT_SAMPLING)).toBe('balanced');
    expect(qualityOf([defaultTarget('caption', 'text')], DEFAULT_SAMPLING)).toBe('balanced');
    expect(qualityOf([], { ...DEFAULT_SAMPLING, temperatureSchedule: 'constant' })).toBeNull();
  });

  test('each scheme scales its own measured steps (ROAR from words, MaskGIT from a layout)', () => {
    const words = samplingFor('words', DEFAULT_SAMPLING);
    const roar = [{ modality: 'rgb', scheme: words.scheme, steps: words.steps }];
    expect(qualityOf(roar, words.sampling)).toBe('balanced');
    expect(applyQuality(roar, words.sampling, 'fast').chain[0]?.steps).toBe(Math.round(PICTURE_SAMPLING.words.steps / 2));
  });
});

describe('picture sources', () => {
  test('the editor starts with the same settings as `4m generate` and the evaluation for a layout', () => {
    const l = PICTURE_SAMPLING.layout;
    expect(DEFAULT_SAMPLING).toMatchObject({ temperature: l.temperature, temperatureSchedule: l.temperatureSchedule, tokenSchedule: l.tokenSchedule, cfgScale: l.cfgScale, topP: l.topP, topK: l.topK });
  });

  test('words switch the scheme, steps and shared values to the caption default and keep the seed', () => {
    const w = samplingFor('words', { ...DEFAULT_SAMPLING, seed: 7 });
    expect(w).toMatchObject({ scheme: PICTURE_SAMPLING.words.scheme, steps: PICTURE_SAMPLING.words.steps });
    expect(w.sampling).toMatchObject({ seed: 7, cfgScale: PICTURE_SAMPLING.words.cfgScale, topP: PICTURE_SAMPLING.words.topP });
  });
});

test('Objects (SAM): a picture layer the model writes as a sequence, so autoregressive at 4M\'s SAM temperature', () => {
  for (const t of [defaultTarget('sam_instance', 'image'), predictionTarget('sam_instance', 'image')]) {
    expect(t).toMatchObject({ modality: 'sam_instance', scheme: 'autoregressive', steps: 1, temperature: 0.01, cfgScale: 1 });
  }
  expect(schemesFor('image', 'sam_instance')).toEqual(['autoregressive']);
  expect(schemesFor('image', 'rgb')).toEqual(['maskgit', 'roar']);
});
