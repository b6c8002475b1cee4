import { describe, expect, it } from 'vitest';
import type { TargetSettings } from '../../../../models/sampling';
import { buildChainSchedule, tokensPerTargetFromState } from '../../../../models/sampling';

const target = (modality: string, over: Partial<TargetSettings> = {}): TargetSettings => ({
  modality,
  scheme: 'roar',
  steps: 4,
  tokenSchedule: 'cosine',
  temperature: 3,
  temperatureSchedule: 'constant',
  cfgScale: 2,
  topK: 0,
  topP: 0.8,
  ...over,
});

describe('buildChainSchedule', () => {
  it('ROAR always uses the linear token schedule; MaskGIT honours cosine', () => {
    const steps = buildChainSchedule({
      conditions: ['caption'],
      targets: [target('a'), target('b', { scheme: 'maskgit', steps: 8 })],
      tokensPerTarget: { a: 10, b: 784 },
      cfgGrowConditioning: false,
    });
    expect(steps.filter((s) => s.target === 'a').map((s) => s.numTokens)).toEqual([3, 3, 2, 2]);
    expect(steps.filter((s) => s.target === 'b').map((s) => s.numTokens)).toEqual([30, 85, 127, 150, 150, 127, 85, 30]);
    expect(steps[0]).toMatchObject({ targetStep: 0, targetSteps: 4, temperature: 3 });
  });

  it('grows the guidance conditions with image targets only (reference AR quirk)', () => {
    const plan = (arJoin: boolean) =>
      buildChainSchedule({
        conditions: ['caption'],
        targets: [target('clip', { steps: 1 }), target('det', { scheme: 'autoregressive' }), target('rgb', { steps: 1 })],
        tokensPerTarget: { clip: 4, rgb: 4 },
        cfgGrowConditioning: true,
        arTargetsJoinConditioning: arJoin,
      });
    const quirk = plan(false);
    expect(quirk.map((s) => s.guidance)).toEqual([
      { kind: 'single', scale: 2, conditions: ['caption'] },
      { kind: 'single', scale: 2, conditions: ['caption', 'clip'] },
      { kind: 'single', scale: 2, conditions: ['caption', 'clip'] },
    ]);
    expect(quirk[1]).toMatchObject({ numTokens: null, temperature: 3 });
    expect(plan(true)[2]!.guidance).toEqual({ kind: 'single', scale: 2, conditions: ['caption', 'clip', 'det'] });
  });

  it('independent targets are each guided against the given conditions only', () => {
    const steps = buildChainSchedule({
      conditions: ['caption'],
      targets: [target('clip', { steps: 1 }), target('rgb', { steps: 1 })],
      tokensPerTarget: { clip: 4, rgb: 4 },
      cfgGrowConditioning: true,
      independentTargets: true,
    });
    expect(steps.map((s) => s.guidance)).toEqual([
      { kind: 'single', scale: 2, conditions: ['caption'] },
      { kind: 'single', scale: 2, conditions: ['caption'] },
    ]);
  });

  it('does not grow when off; no guidance at scale 1 or without conditions', () => {
    const steps = buildChainSchedule({
      conditions: [],
      targets: [target('a', { steps: 1 }), target('b', { steps: 1, cfgScale: 1 })],
      tokensPerTarget: { a: 4, b: 4 },
      cfgGrowConditioning: false,
    });
    expect(steps.map((s) => s.guidance.kind)).toEqual(['none', 'none']);
  });

  it('per-condition weights give multi-condition guidance (missing weights fall back to cfgScale)', () => {
    const steps = buildChainSchedule({
      conditions: ['caption', 'det'],
      targets: [target('rgb', { steps: 1, cfgConditionWeights: { caption: 3, det: -0.5 } }), target('depth', { steps: 1, cfgConditionWeights: { caption: 0.5 } })],
      tokensPerTarget: { rgb: 4, depth: 4 },
      cfgGrowConditioning: true,
    });
    expect(steps[0]!.guidance).toEqual({ kind: 'multi', weights: [{ condition: 'caption', weight: 3 }, { condition: 'det', weight: -0.5 }] });
    expect(steps[1]!.guidance).toEqual({
      kind: 'multi',
      weights: [{ condition: 'caption', weight: 0.5 }, { condition: 'det', weight: 2 }, { condition: 'rgb', weight: 2 }],
    });
  });

  it('uses the temperature schedule per step and needs a token count', () => {
    const steps = buildChainSchedule({
      conditions: [],
      targets: [target('a', { steps: 4, temperatureSchedule: 'linear' })],
      tokensPerTarget: { a: 8 },
      cfgGrowConditioning: false,
    });
    expect(steps.map((s) => s.temperature)).toEqual([3, 2.25, 1.5, 0.75]);
    expect(() => buildChainSchedule({ conditions: [], targets: [target('x')], tokensPerTarget: {}, cfgGrowConditioning: false })).toThrow(/x/);
  });
});

describe('tokensPerTargetFromState', () => {
  it('a target named like an Object property is not in the state (not a crash on its missing mask)', () => {
    const state = { a: { kind: 'image', targetMask: Uint8Array.of(0, 0, 1) } };
    expect(tokensPerTargetFromState(state, [target('a')])).toEqual({ a: 2 });
    for (const name of ['constructor', 'toString', '__proto__']) {
      expect(() => tokensPerTargetFromState(state, [target(name)])).toThrow(`target '${name}' is not in the generation state`);
      expect(() => buildChainSchedule({ conditions: [], targets: [target(name)], tokensPerTarget: {}, cfgGrowConditioning: false })).toThrow(`no token count for target '${name}'`);
    }
  });
});
