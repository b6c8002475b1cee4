/** The editor's request (layer ids) → requests on an official FM (modality names), one per variation. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GenerationRequest } from '../../../../../preload/contract/generation';
import { PREDICTION_SAMPLING } from '../../../../../preload/contract/sampling-defaults';
import { officialModalityTable } from '../../../../../models/engine/fm/official-modalities';
import { officialTargetOf, toOfficialRequest } from '../../../../../models/engine/generate/official-request';
import { parseFmConfig } from '../../../../../models/registry/checkpoint-config';

const raw = (JSON.parse(readFileSync(join(__dirname, '../../../../fixtures/official-fm/checkpoint.json'), 'utf8')) as { config: Record<string, unknown> }).config;
const parsed = parseFmConfig(raw);
if (!parsed.ok) throw new Error(parsed.error);
const table = officialModalityTable(parsed.config, 'fixture config');
const base = (over: Partial<GenerationRequest>): GenerationRequest => ({ version: 1, modelId: 'm', seed: 5, cfgGrowConditioning: true, inputs: {}, targets: [], ...over });
const target = (modality: string) => ({ modality, ...PREDICTION_SAMPLING });

describe('toOfficialRequest', () => {
  it('the RGB layer is rgb@224 as a picture, tok_rgb@224 as a target or as tokens; the rest keeps its name', () => {
    expect(officialTargetOf(table, 'rgb@224')).toBe('tok_rgb@224');
    expect(officialTargetOf(table, 'tok_semseg@224')).toBe('tok_semseg@224');
    const picture = toOfficialRequest(base({ inputs: { 'rgb@224': { kind: 'image-pixels', ref: 'sha256:x' } }, targets: [target('tok_semseg@224')] }), table);
    expect(picture.requests).toHaveLength(1);
    expect(Object.keys(picture.requests[0]?.inputs ?? {})).toEqual(['rgb@224']);
    expect(picture.layerOf.size).toBe(0);
    const back = toOfficialRequest(base({ inputs: { 'rgb@224': { kind: 'image-tokens', tokens: [1, 2] } }, targets: [target('tok_semseg@224')] }), table);
    expect(back.requests[0]?.inputs).toEqual({ 'tok_rgb@224': { kind: 'image-tokens', tokens: [1, 2] } });
    const rgbOut = toOfficialRequest(base({ inputs: { 'tok_semseg@224': { kind: 'image-tokens', tokens: [3] } }, targets: [target('rgb@224')] }), table);
    expect(rgbOut.requests[0]?.targets.map((t) => t.modality)).toEqual(['tok_rgb@224']);
    expect(rgbOut.layerOf.get('tok_rgb@224')).toBe('rgb@224');
  });

  it('variations become one request per seed; guidance weights follow the renames', () => {
    const plan = toOfficialRequest(base({ variations: 3, inputs: { caption: { kind: 'text', text: 'a dog' } }, targets: [target('rgb@224'), { ...target('tok_semseg@224'), cfgConditionWeights: { caption: 2, 'rgb@224': 0.5 } }] }), table);
    expect(plan.requests.map((r) => r.seed)).toEqual([5, 6, 7]);
    expect(plan.requests.every((r) => r.variations === undefined)).toBe(true);
    expect(plan.requests[0]?.targets[1]?.cfgConditionWeights).toEqual({ caption: 2, 'tok_rgb@224': 0.5 });
  });

  it('a region to regenerate goes in under the target token modality with its keepMask; a painted token layer goes in as pixels for the engine to encode', () => {
    const label = (id: string): string => (id === 'tok_semseg@224' ? 'Segmentation' : id);
    const keepMask: (0 | 1)[] = [0, 1];
    // The RGB layer as picture + region: tok_rgb@224 (kept tokens visible), never the whole rgb@224 picture.
    const picture = toOfficialRequest(base({ inputs: { 'rgb@224': { kind: 'image-pixels', ref: 'r', keepMask }, caption: { kind: 'text', text: 'a dog' } }, targets: [target('rgb@224')] }), table, label);
    expect(picture.requests[0]?.inputs).toEqual({ 'tok_rgb@224': { kind: 'image-pixels', ref: 'r', keepMask }, caption: { kind: 'text', text: 'a dog' } });
    expect(picture.requests[0]?.targets.map((t) => t.modality)).toEqual(['tok_rgb@224']);
    expect(picture.layerOf.get('tok_rgb@224')).toBe('rgb@224');
    // A result's tokens with a region, and a segmentation region, keep their kind.
    const tokens = toOfficialRequest(base({ inputs: { 'rgb@224': { kind: 'image-tokens', tokens: [4, 5], keepMask } }, targets: [target('rgb@224')] }), table);
    expect(tokens.requests[0]?.inputs).toEqual({ 'tok_rgb@224': { kind: 'image-tokens', tokens: [4, 5], keepMask } });
    const seg = toOfficialRequest(base({ inputs: { 'tok_semseg@224': { kind: 'image-pixels', ref: 's', keepMask } }, targets: [target('tok_semseg@224')] }), table, label);
    expect(seg.requests[0]?.inputs).toEqual({ 'tok_semseg@224': { kind: 'image-pixels', ref: 's', keepMask } });
    // A model that cannot take the layer's tokens as input says so by the layer's name.
    const noRgbIn = table.map((m) => (m.name === 'tok_rgb@224' ? { ...m, input: false } : m));
    expect(() => toOfficialRequest(base({ inputs: { 'rgb@224': { kind: 'image-pixels', ref: 'r', keepMask } }, targets: [target('rgb@224')] }), noRgbIn, label)).toThrow(/rgb@224: the model cannot regenerate part of this layer \(it takes no tok_rgb@224 tokens as input\)/);
    const painted = toOfficialRequest(base({ inputs: { 'tok_semseg@224': { kind: 'image-pixels', ref: 'r' } }, targets: [target('rgb@224')] }), table, label);
    expect(painted.requests[0]?.inputs['tok_semseg@224']).toEqual({ kind: 'image-pixels', ref: 'r' });
  });
});
