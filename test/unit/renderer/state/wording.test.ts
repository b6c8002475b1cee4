import { expect, test } from 'vitest';
import { capitalized, sizeText } from '../../../../renderer/src/state/wording';

test('a size is written one way: spaced ×, no unit', () => {
  expect(sizeText(448, 448)).toBe('448 × 448');
  expect(sizeText(14, 28)).toBe('14 × 28');
});

test('a mid-sentence reason starts a sentence with its first letter in upper case, the rest as it was', () => {
  expect(capitalized('the inference host stopped')).toBe('The inference host stopped');
  expect(capitalized('Already upper')).toBe('Already upper');
  expect(capitalized('élan')).toBe('Élan');
  expect(capitalized('4M-21 has no depth')).toBe('4M-21 has no depth');
  expect(capitalized('')).toBe('');
});
