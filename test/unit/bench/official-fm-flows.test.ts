/** The 4M-B section's flows: the same requests become the engine's schedule and the official sampler's arguments. */
import { describe, expect, it } from 'vitest';
import { captionToRgb, flowInputs, officialFlow, prepareFlow, rgbToAll, rgbToAllTargets, RGB } from '../../../bench/official-fm-flows';
import { FOURM_TINY, officialConfig } from '../../../bench/random-official-fm';
import { OFFICIAL_TEXT_IDS } from '../../../models/engine/fm/official-fm';
import { officialModalityTable } from '../../../models/engine/fm/official-modalities';
import { parseFmConfig } from '../../../models/registry/checkpoint-config';
import { PICTURE_SAMPLING, PREDICTION_SAMPLING } from '../../../preload/contract/sampling-defaults';

const parsed = parseFmConfig(officialConfig(FOURM_TINY));
if (!parsed.ok) throw new Error(parsed.error);
const table = officialModalityTable(parsed.config, 'config');

describe('the 4M-B flows', () => {
  it('has deterministic inputs in the official vocabularies', () => {
    const a = flowInputs();
    expect(a).toEqual(flowInputs());
    expect(a.rgbTokens).toHaveLength(196);
    expect(a.rgbTokens.every((t) => t >= 0 && t < 16_384)).toBe(true);
    expect(a.captionIds.at(-1)).toBe(3);
    expect(a.captionIds.slice(0, -1).every((t) => t >= 4284 && t < 30_000)).toBe(true);
  });

  it('predicts every other image output and the caption from the picture', () => {
    expect(rgbToAllTargets(table)).toEqual([
      'tok_canny_edge@224', 'tok_clip@224', 'tok_depth@224', 'tok_dinov2@224', 'tok_dinov2_global', 'tok_imagebind@224', 'tok_imagebind_global',
      'tok_normal@224', 'tok_sam_edge@224', 'tok_semseg@224', 'caption',
    ]);
  });

  it('plans caption → RGB as the app samples a picture from words', () => {
    const flow = prepareFlow(captionToRgb(flowInputs()), table, OFFICIAL_TEXT_IDS, 33);
    expect(flow.schedule).toHaveLength(PICTURE_SAMPLING.words.steps);
    expect(flow.schedule.reduce((n, s) => n + (s.numTokens ?? 0), 0)).toBe(196);
    expect(flow.schedule[0]).toMatchObject({ target: RGB, scheme: 'roar', temperature: 1, topP: 0.9, guidance: { kind: 'single', scale: 3, conditions: ['caption'] } });
    expect(flow.state.caption?.tokens.at(-1)).toBe(3);
    const official = officialFlow(captionToRgb(flowInputs()), table, 33);
    expect(official).toMatchObject({ independentTargets: false, inputs: { caption: flowInputs().captionIds } });
    expect(official.targets).toEqual([{ domain: RGB, scheme: 'roar', numTokens: 196, steps: 16, tokenSchedule: 'linear', temperature: 1, temperatureSchedule: 'linear', cfgScale: 3, topK: 0, topP: 0.9 }]);
  });

  it('plans RGB → all as one-step predictions and a capped caption, each from the picture alone', () => {
    const req = rgbToAll(flowInputs(), table);
    const flow = prepareFlow(req, table, OFFICIAL_TEXT_IDS, 33);
    expect(flow.independentTargets).toBe(true);
    expect(flow.schedule).toHaveLength(11);
    expect(flow.schedule.find((s) => s.target === 'tok_dinov2@224')).toMatchObject({ numTokens: 256, temperature: PREDICTION_SAMPLING.temperature, topP: 0.8 });
    expect(flow.schedule.find((s) => s.target === 'tok_imagebind_global')).toMatchObject({ numTokens: 16 });
    expect(flow.schedule.at(-1)).toMatchObject({ target: 'caption', scheme: 'autoregressive', temperature: 0.3, topP: 0.8, guidance: { kind: 'none' } });
    expect(flow.state.caption?.tokens).toHaveLength(33);
    const official = officialFlow(req, table, 33);
    expect(official.targets.at(-1)).toMatchObject({ domain: 'caption', scheme: 'autoregressive', numTokens: 33, temperature: 0.3, cfgScale: 1 });
    expect(official.targets[0]).toMatchObject({ scheme: 'roar', steps: 1, cfgScale: 2, temperatureSchedule: 'constant' });
  });
});
