import { describe, expect, it } from 'vitest';
import type { GenerationState, StepEvent, TargetSettings } from '../../../../models/sampling';
import {
  buildChainSchedule,
  emptyImageTarget,
  emptySequenceTarget,
  fullSequenceInput,
  inpaintImageTarget,
  pendingPositions,
  runChain,
  tokensPerTargetFromState,
} from '../../../../models/sampling';
import { fakeModel, VOCAB, visibleIn } from './fake-model';

const V = 128;
const S2 = 106;
const EOS = 103;

const settings = (modality: string, over: Partial<TargetSettings> = {}): TargetSettings => ({
  modality,
  scheme: 'roar',
  steps: 4,
  tokenSchedule: 'linear',
  temperature: 1.5,
  temperatureSchedule: 'onex:0.5:0.5',
  cfgScale: 2,
  topK: 0,
  topP: 0.9,
  ...over,
});

function setup() {
  const initial: GenerationState = {
    caption: fullSequenceInput([20, 21, EOS], VOCAB),
    clip: emptyImageTarget(16),
    rgb: emptyImageTarget(16),
    det: emptySequenceTarget(8, VOCAB),
  };
  const schedule = buildChainSchedule({
    conditions: ['caption'],
    targets: [settings('clip'), settings('rgb', { scheme: 'maskgit', steps: 3, tokenSchedule: 'cosine' }), settings('det', { scheme: 'autoregressive', temperature: 0.7 })],
    tokensPerTarget: { clip: 16, rgb: 16 },
    cfgGrowConditioning: true,
  });
  return { initial, schedule };
}

async function trace(seed: number) {
  const { initial, schedule } = setup();
  const { model } = fakeModel(V, [30, 31, EOS, S2]);
  const events: StepEvent[] = [];
  const final = await runChain(initial, schedule, { model, seed, vocab: VOCAB, onStep: (e) => events.push(e) });
  return { final, events, schedule };
}

const tokensOf = (s: GenerationState) => Object.fromEntries(Object.entries(s).map(([k, m]) => [k, Array.from(m.tokens)]));

describe('runChain', () => {
  it('is deterministic per seed and differs between seeds', async () => {
    const a = await trace(7);
    const b = await trace(7);
    const c = await trace(8);
    expect(tokensOf(a.final)).toEqual(tokensOf(b.final));
    expect(a.events.map((e) => Array.from(e.previewTokens))).toEqual(b.events.map((e) => Array.from(e.previewTokens)));
    expect(tokensOf(a.final).clip).not.toEqual(tokensOf(c.final).clip);
  });

  it('runs every target to completion and emits per-step events with snapshots', async () => {
    const { final, events } = await trace(1);
    expect(pendingPositions(final.clip!)).toHaveLength(0);
    expect(pendingPositions(final.rgb!)).toHaveLength(0);
    expect(Array.from(final.det!.tokens)).toEqual([30, 31, EOS]);
    const clipEvents = events.filter((e) => e.target === 'clip');
    expect(clipEvents.map((e) => [e.step, e.totalSteps])).toEqual([[1, 4], [2, 4], [3, 4], [4, 4]]);
    expect(clipEvents.map((e) => pendingPositions(e.snapshot).length)).toEqual([12, 8, 4, 0]);
    expect(events.filter((e) => e.target === 'rgb').map((e) => e.step)).toEqual([1, 2, 3]);
    const det = events.filter((e) => e.target === 'det');
    expect(det.map((e) => e.step)).toEqual([1, 2, 3, 4]);
    expect(Array.from(det[1]!.snapshot.tokens.subarray(1, 4))).toEqual([105, 30, 31]); // [S_1] then the tokens so far
  });

  it('later targets are conditioned on earlier results and guided against them (grow)', async () => {
    const { initial, schedule } = setup();
    const { model, log } = fakeModel(V, [30, EOS, S2]);
    await runChain(initial, schedule, { model, seed: 3, vocab: VOCAB });
    const rgbFirst = log.image[4]!; // 4 clip steps, then rgb
    expect(visibleIn(rgbFirst[0]!.state, 'clip')).toBe(16);
    expect(visibleIn(rgbFirst[1]!.state, 'clip')).toBe(0); // clip joined the guidance conditions
    expect(visibleIn(rgbFirst[1]!.state, 'caption')).toBe(1); // sequence uncond = one [S_1]
  });

  it('independent targets see only the conditions and match a run of each target alone', async () => {
    const { initial } = setup();
    const targets = [settings('clip'), settings('rgb', { scheme: 'maskgit', steps: 3, tokenSchedule: 'cosine' }), settings('det', { scheme: 'autoregressive', temperature: 0.7 })];
    const plan = (ts: TargetSettings[]) =>
      buildChainSchedule({ conditions: ['caption'], targets: ts, tokensPerTarget: { clip: 16, rgb: 16 }, cfgGrowConditioning: true, independentTargets: true });
    const { model, log } = fakeModel(V, [30, 31, EOS, S2]);
    const events: StepEvent[] = [];
    const all = await runChain(initial, plan(targets), { model, seed: 5, vocab: VOCAB, independentTargets: true, onStep: (e) => events.push(e) });
    // No query ever shows another target to the encoder, not even a sequence target's [S_1].
    for (const batch of [...log.image, ...log.sequence]) {
      for (const q of batch) {
        const others = Object.keys(q.state).filter((name) => name !== 'caption' && name !== q.target);
        expect(others, q.target).toEqual([]);
      }
    }
    expect(events.map((e) => e.scheduleIndex)).toEqual(events.map((e) => e.scheduleIndex).sort((a, b) => a - b));
    for (const t of targets) {
      const { model: alone } = fakeModel(V, [30, 31, EOS, S2]);
      const single = await runChain({ caption: initial.caption!, [t.modality]: initial[t.modality]! }, plan([t]), { model: alone, seed: 5, vocab: VOCAB });
      expect(Array.from(all[t.modality]!.tokens), t.modality).toEqual(Array.from(single[t.modality]!.tokens));
    }
    expect(Array.from(all.caption!.tokens)).toEqual(Array.from(initial.caption!.tokens));
  });

  it('stops between steps when cancelled', async () => {
    const { initial, schedule } = setup();
    const { model, log } = fakeModel(V);
    const ctrl = new AbortController();
    const run = runChain(initial, schedule, {
      model,
      seed: 1,
      vocab: VOCAB,
      signal: ctrl.signal,
      onStep: (e) => {
        if (e.step === 2) ctrl.abort('user');
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError', reason: 'user' });
    expect(log.image).toHaveLength(2);
  });

  it('a cancel arrives even when steps reveal no token (more steps than tokens)', async () => {
    const initial: GenerationState = { caption: fullSequenceInput([20, 21, EOS], VOCAB), rgb: emptyImageTarget(16) };
    const schedule = buildChainSchedule({
      conditions: ['caption'],
      // The cosine split keeps its zero-sized steps (the linear one drops them).
      targets: [settings('rgb', { scheme: 'maskgit', steps: 4096, tokenSchedule: 'cosine' })],
      tokensPerTarget: { rgb: 16 },
      cfgGrowConditioning: false,
    });
    const { model, log } = fakeModel(V);
    const ctrl = new AbortController();
    let steps = 0;
    // The cancel comes from outside, in a later event-loop turn (as a host message would),
    // sent once the loop is well into the steps that reveal nothing (16 tokens, 4096 steps).
    const run = runChain(initial, schedule, {
      model,
      seed: 1,
      vocab: VOCAB,
      signal: ctrl.signal,
      onStep: () => {
        if (++steps === 100) setTimeout(() => ctrl.abort('user'), 0);
        const until = performance.now() + 0.1; // each step costs a little, as on a real machine
        while (performance.now() < until);
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError', reason: 'user' });
    expect(log.image.length).toBeLessThanOrEqual(16);
    expect(steps).toBeLessThan(4096); // the cancel stopped it long before the end
  });

  it('rejects a scheme that does not fit the modality kind', async () => {
    const { initial } = setup();
    const schedule = buildChainSchedule({
      conditions: [],
      targets: [settings('det', { steps: 1 })],
      tokensPerTarget: { det: 7 },
      cfgGrowConditioning: false,
    });
    const { model } = fakeModel(V);
    await expect(runChain(initial, schedule, { model, seed: 1, vocab: VOCAB })).rejects.toThrow(/sequence modality; scheme 'roar'/);
  });

  it('inpaints through the chain: the schedule covers exactly the masked tokens', async () => {
    const keep = Array.from({ length: 16 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const original = Array.from({ length: 16 }, (_, i) => 100 + i);
    const initial = { rgb: inpaintImageTarget(original, keep) };
    const targets = [settings('rgb', { scheme: 'maskgit', steps: 4, tokenSchedule: 'cosine' })];
    const tokensPerTarget = tokensPerTargetFromState(initial, targets);
    expect(tokensPerTarget).toEqual({ rgb: keep.filter((k) => k === 0).length });
    const schedule = buildChainSchedule({
      conditions: [],
      targets,
      tokensPerTarget,
      cfgGrowConditioning: false,
    });
    const { model } = fakeModel(V);
    const final = await runChain(initial, schedule, { model, seed: 2 });
    expect(pendingPositions(final.rgb!)).toHaveLength(0);
    original.forEach((id, p) => {
      if (keep[p] === 1) expect(final.rgb!.tokens[p]).toBe(id);
    });
  });
});
