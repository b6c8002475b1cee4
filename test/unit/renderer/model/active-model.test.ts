import { describe, expect, test } from 'vitest';
import type { ModelStatus } from '../../../../preload/contract/jobs';
import type { ModelLayout } from '../../../../preload/contract/model-layout';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { editorModelFor, type EditorModel } from '../../../../renderer/src/model/activeModel';
import { fsqModalities } from '../../../../renderer/src/model/fsq';

const manifest = { modelId: 'world', width: 128, height: 128, tokenCols: 16, tokenRows: 16, modalities: [{ id: 'tok_rgb@128', kind: 'image' as const }] };
const shipped: EditorModel[] = [{ id: 'world', displayName: 'World', manifest, coordBins: 1000 }];
const execution = { provider: 'cpu', skipped: [] };
const loaded = (modelId: string, layout?: ModelLayout): ModelStatus => ({ state: 'loaded', modelId, displayName: `${modelId} name`, execution, graphs: [], loadMs: 1, ...(layout ? { layout } : {}) });
const layout: ModelLayout = {
  id: '4M-21_B', imageSize: 224,
  modalities: [{ name: 'rgb@224', displayName: 'RGB', type: 'img', domain: 'rgb', grid: [14, 14] }, { name: 'caption', displayName: 'Caption', type: 'seq', domain: 'caption' }],
};

describe('the model the editor lays out for', () => {
  test('starts on the shipped model and keeps what it shows while a switch loads or fails', () => {
    expect(editorModelFor(undefined, shipped, undefined)?.id).toBe('world');
    const official = editorModelFor(loaded('4M-21_B', layout), shipped, shipped[0]);
    expect(editorModelFor({ state: 'loading', modelId: 'other' }, shipped, official)).toBe(official);
    expect(editorModelFor({ state: 'failed', modelId: 'other', message: 'no' }, shipped, official)).toBe(official);
  });

  test('an official model: its layout (224 px, 14×14, its layers and names); the same status again keeps the same model', () => {
    const official = editorModelFor(loaded('4M-21_B', layout), shipped, shipped[0]);
    expect(official?.displayName).toBe('4M-21_B name');
    expect(official?.manifest).toMatchObject({ modelId: '4M-21_B', width: 224, height: 224, tokenCols: 14, tokenRows: 14 });
    expect(official?.manifest.modalities.map((m) => [m.id, m.kind, m.label])).toEqual([['rgb@224', 'image', 'RGB'], ['caption', 'text', 'Caption']]);
    expect(editorModelFor(loaded('4M-21_B', layout), shipped, official)).toBe(official);
    expect(official?.picturesAsPixels).toBeUndefined();
  });

  test('the SR model worked at 448: a 448 px canvas on 28×28, pictures sent as pixels', () => {
    const sr: ModelLayout = { id: 'SR', imageSize: 448, picturesAsPixels: true, modalities: [{ name: 'rgb@448', displayName: 'RGB', type: 'img', domain: 'rgb', grid: [28, 28] }] };
    const model = editorModelFor(loaded('SR', sr), shipped, shipped[0]);
    expect(model?.manifest).toMatchObject({ modelId: 'SR', width: 448, height: 448, tokenCols: 28, tokenRows: 28 });
    expect(model?.picturesAsPixels).toBe(true);
  });

  test('back to the shipped package: its own manifest again', () => {
    const official = editorModelFor(loaded('4M-21_B', layout), shipped, shipped[0]);
    expect(editorModelFor(loaded('world'), shipped, official)).toBe(shipped[0]);
    // A package the renderer has no manifest for lays out as the shipped model.
    expect(editorModelFor(loaded('user-package'), shipped, official)).toBe(shipped[0]);
  });

  test('"Faithful" token choice: the shipped model\'s FSQ image layers, none on an official model', () => {
    const manifestJson = JSON.parse(readFileSync(join(import.meta.dirname, '../../../../models/zoo/world-4m-small/manifest.json'), 'utf8')) as unknown;
    expect(fsqModalities(manifestJson).sort()).toEqual(['tok_depth@128', 'tok_edge@128', 'tok_normal@128', 'tok_rgb@128', 'tok_semseg@128']);
    expect(fsqModalities({ modalities: [{ name: 'a', tokenizer: {} }, { name: 'b', tokenizer: { fsqLevels: [] } }, 'junk'] })).toEqual([]);
    expect(fsqModalities(null)).toEqual([]);
    expect(editorModelFor(loaded('4M-21_B', layout), shipped, shipped[0])?.expectedCode).toEqual([]);
  });
});
