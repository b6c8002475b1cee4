/** The editor's request (layer ids) → requests on an official FM (modality names), one per variation. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GenerationRequest } from '../../../../../preload/contract/generation';
import { PREDICTION_SAMPLING } from '../../../../../preload/contract/sampling-defaults';
import { officialModalityTable } from '../../../../../models/engine/fm/official-modalities';
import { officialTargetOf, toOfficialRequest } from '../../../../../models/engine/generate/official-request';
import { officialLayout } from '../../../../../models/engine/generate/official-layout';
import { divaeInputFromPicture } from '../../../../../models/engine/vq/official-divae-image';
import { parseFmConfig } from '../../../../../models/registry/checkpoint-config';
import { createDocument, DocumentStore, paintPixels, setLayerProps } from '../../../../../renderer/src/document';
import { documentManifestFromModel } from '../../../../../renderer/src/document/fromModelManifest';
import { buildGenerationRequest } from '../../../../../renderer/src/generation/buildRequest';
import { DEFAULT_SAMPLING, defaultTarget } from '../../../../../renderer/src/generation/settings';

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

  it('painted depth, normals and edges layers on an official model: sent as pictures in the layer conventions, read by the engine as 4M reads them', async () => {
    const picture = { layout: { labels: undefined } };
    const layout = officialLayout('4M-21', { fm: { table, config: parsed.config }, tokenizers: new Map([['tok_rgb@224', picture], ['tok_depth@224', picture], ['tok_normal@224', picture], ['tok_canny_edge@224', picture]]), text: undefined });
    const manifest = documentManifestFromModel(layout);
    expect(manifest.modalities.filter((m) => m.kind === 'image').map((m) => [m.id, m.channels ?? 3])).toEqual([['rgb@224', 3], ['tok_depth@224', 1], ['tok_normal@224', 3], ['tok_canny_edge@224', 1]]);
    const s = new DocumentStore(createDocument(manifest));
    const rec = (u: Parameters<DocumentStore['apply']>[0]): void => s.apply(u, { history: 'record' });
    const all = { x: 0, y: 0, w: 224, h: 224 };
    // Depth: the top half painted near (255), the bottom half far (0); normals facing the camera; one edge row.
    rec(paintPixels(s.state, 'tok_depth@224', all, new Uint8Array(224 * 224).map((_, i) => (i < 112 * 224 ? 255 : 0))));
    rec(paintPixels(s.state, 'tok_normal@224', all, new Uint8Array(224 * 224 * 3).map((_, i) => [128, 128, 255][i % 3] as number)));
    rec(paintPixels(s.state, 'tok_canny_edge@224', all, new Uint8Array(224 * 224).map((_, i) => (Math.floor(i / 224) === 100 ? 255 : 0))));
    for (const id of ['tok_depth@224', 'tok_normal@224', 'tok_canny_edge@224']) rec(setLayerProps(s.state, id, { role: 'condition' }));
    rec(setLayerProps(s.state, 'rgb@224', { role: 'generate' }));
    const built = await buildGenerationRequest(s.state, { modelId: '4M-21', coordBins: 1000, seed: 1, targets: [defaultTarget('rgb@224', 'image')], sampling: DEFAULT_SAMPLING });
    const plan = toOfficialRequest(built.request, table);
    const inputs = plan.requests[0]?.inputs ?? {};
    expect(Object.keys(inputs).sort()).toEqual(['tok_canny_edge@224', 'tok_depth@224', 'tok_normal@224']);
    expect(plan.requests[0]?.targets.map((t) => t.modality)).toEqual(['tok_rgb@224']);
    const pixels = (id: string) => {
      const input = inputs[id];
      if (input?.kind !== 'image-pixels') throw new Error(`${id}: ${input?.kind}`);
      const raster = built.images[input.ref];
      if (!raster) throw new Error(`${id}: no raster`);
      return { width: raster.width, height: raster.height, data: new Uint8Array(Buffer.from(raster.rgba, 'base64')) };
    };
    const opts = { size: 224, grid: 14, where: 'x' };
    const depth = divaeInputFromPicture('depth', pixels('tok_depth@224'), { ...opts, channels: 1 });
    expect(depth[0]).toBeLessThan(0); // near: 4M's depth is small there
    expect(depth[224 * 224 - 1]).toBeGreaterThan(0);
    const normal = divaeInputFromPicture('normal', pixels('tok_normal@224'), { ...opts, channels: 3 });
    expect([normal[0], normal[224 * 224], normal[2 * 224 * 224]].map((v) => Math.round((v as number) * 100) / 100)).toEqual([0, 0, 1]);
    const edge = divaeInputFromPicture('edge', pixels('tok_canny_edge@224'), { ...opts, channels: 1 });
    expect([edge[0], edge[100 * 224]]).toEqual([-1, 1]);
  });
});
