import { expect, test } from 'vitest';
import { importedText } from '../../../../renderer/src/project/importImage';

test('the import status says only what was done to fit the picture', () => {
  expect(importedText('a.png', 2000, 3000, 128, 128, 'crop')).toBe('Imported a.png (2000 × 3000, cropped and resized to 128 × 128)');
  expect(importedText('a.png', 2000, 3000, 128, 128, 'pad')).toBe('Imported a.png (2000 × 3000, padded and resized to 128 × 128)');
  expect(importedText('a.png', 300, 200, 224, 224, 'stretch')).toBe('Imported a.png (300 × 200, stretched and resized to 224 × 224)');
  // The canvas's aspect: nothing to crop, pad or stretch.
  expect(importedText('a.png', 1024, 1024, 224, 224, 'crop')).toBe('Imported a.png (1024 × 1024, resized to 224 × 224)');
  // The canvas's size: nothing done at all.
  expect(importedText('a.png', 224, 224, 224, 224, 'pad')).toBe("Imported a.png (224 × 224, the canvas's size)");
});
