import { afterEach, expect, test } from 'vitest';
import { humanize, KIND_ICONS, layerIcon, layerLabel, useLayerNames } from '../../../../renderer/src/model/layerLabels';
import { documentManifestFromModel } from '../../../../renderer/src/document/fromModelManifest';
import { testManifest } from '../document/fixtures';
import { readFileSync } from 'node:fs';

const zoo = JSON.parse(readFileSync(new URL('../../../../models/zoo/world-4m-small/manifest.json', import.meta.url), 'utf8')) as { modalities: { name: string; displayName?: string }[] };

afterEach(() => useLayerNames(testManifest()));

test('layers are named by the model’s display names', () => {
  const manifest = documentManifestFromModel(zoo);
  expect(manifest.modalities.find((m) => m.id === 'tok_normal@128')?.label).toBe('Surface normals');
  useLayerNames(manifest);
  for (const m of zoo.modalities) expect(layerLabel(m.name)).toBe(m.displayName);
  expect(humanize('layer "tok_rgb@128" is locked; tok_depth@128 is empty', manifest.modalities.map((m) => m.id))).toBe('RGB is locked; Depth is empty');
});

test('a manifest without display names falls back to a name per domain', () => {
  const older = structuredClone(zoo);
  for (const m of older.modalities) delete m.displayName;
  const manifest = documentManifestFromModel(older);
  expect(manifest.modalities.every((m) => m.label === undefined)).toBe(true);
  useLayerNames(manifest);
  expect(layerLabel('tok_normal@128')).toBe('Surface normals');
  expect(layerLabel('det')).toBe('Bounding boxes');
  expect(layerLabel('tok_sam_instance@224')).toBe('sam instance');
});

test('a newly opened model’s names replace the previous model’s', () => {
  const m = testManifest();
  useLayerNames({ ...m, modalities: m.modalities.map((x) => (x.id === 'rgb' ? { ...x, label: 'Picture' } : x)) });
  expect(layerLabel('rgb')).toBe('Picture');
  useLayerNames(m);
  expect(layerLabel('rgb')).toBe('RGB');
});

test('Image controls (metadata) has its own icon; other text layers keep the caption mark', () => {
  expect(layerIcon('metadata', 'text')).toBe('☷');
  expect(layerIcon('caption', 'text')).toBe(KIND_ICONS.text);
  expect(layerIcon('tok_rgb@224', 'image')).toBe(KIND_ICONS.image);
});
