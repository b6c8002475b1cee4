import { expect, test } from 'vitest';
import { importedText, importTarget } from '../../../../renderer/src/project/importImage';
import { testManifest } from '../document/fixtures';

test('the import status says only what was done to fit the picture', () => {
  expect(importedText('a.png', 2000, 3000, 128, 128, 'crop')).toBe('Imported a.png (2000 × 3000, cropped and resized to 128 × 128)');
  expect(importedText('a.png', 2000, 3000, 128, 128, 'pad')).toBe('Imported a.png (2000 × 3000, padded and resized to 128 × 128)');
  expect(importedText('a.png', 300, 200, 224, 224, 'stretch')).toBe('Imported a.png (300 × 200, stretched and resized to 224 × 224)');
  // The canvas's aspect: nothing to crop, pad or stretch.
  expect(importedText('a.png', 1024, 1024, 224, 224, 'crop')).toBe('Imported a.png (1024 × 1024, resized to 224 × 224)');
  // The canvas's size: nothing done at all.
  expect(importedText('a.png', 224, 224, 224, 224, 'pad')).toBe("Imported a.png (224 × 224, the canvas's size)");
});

test('a picture is imported onto the active picture layer, else RGB; never onto a layer the model only makes', () => {
  const m = testManifest();
  expect(importTarget(m, 'depth')?.id).toBe('depth');
  expect(importTarget(m, 'caption')?.id).toBe('rgb');
  // Objects (SAM): generate-only, so the picture goes to RGB instead.
  const sam = { ...m, modalities: [...m.modalities, { id: 'sam_instance', kind: 'image' as const, channels: 3 as const, canCondition: false }] };
  expect(importTarget(sam, 'sam_instance')?.id).toBe('rgb');
  expect(importTarget({ ...m, modalities: sam.modalities.filter((x) => x.id === 'sam_instance') }, 'sam_instance')).toBeUndefined();
  // A model that reads them: a painting of objects (what 4m --out sam_instance=masks.png writes) goes onto the layer.
  const readable = { ...m, modalities: [...m.modalities, { id: 'sam_instance', kind: 'image' as const, channels: 3 as const }] };
  expect(importTarget(readable, 'sam_instance')?.id).toBe('sam_instance');
});
