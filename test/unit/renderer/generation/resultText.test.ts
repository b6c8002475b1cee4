import { expect, test } from 'vitest';
import { acceptStepLabel, stagedJobName, usedText, useStepLabel } from '../../../../renderer/src/generation/resultText';

const names = new Map([['tok_rgb@128', 'RGB'], ['tok_depth@128', 'Depth']]);
const label = (id: string): string => names.get(id) ?? id;

test('Use names the result it put on the canvas, with its seed', () => {
  expect(usedText({ request: { seed: 1236 }, outputs: { 'tok_rgb@128': {} } }, label)).toBe('Using RGB (seed 1236) from the gallery');
  expect(usedText({ request: { seed: 7 }, outputs: { 'tok_rgb@128': {}, 'tok_depth@128': {} } }, label)).toBe('Using RGB, Depth (seed 7) from the gallery');
  expect(usedText({ request: 'junk', outputs: { 'tok_rgb@128': {} } }, label)).toBe('Using RGB from the gallery');
});

test('an accepted region is "Regenerate region of …", a Generate names what it made; each with its seed', () => {
  const region = { inputs: { 'tok_semseg@128': {}, 'tok_rgb@128': {} }, targets: [{ modality: 'tok_rgb@128' }], seed: 1235 };
  expect(acceptStepLabel('Generate', region, label)).toBe('Regenerate region of RGB (seed 1235)');
  const whole = { inputs: { 'tok_semseg@128': {} }, targets: [{ modality: 'tok_rgb@128' }, { modality: 'tok_depth@128' }], seed: 1234 };
  expect(acceptStepLabel('Generate', whole, label)).toBe('Generate RGB, Depth (seed 1234)');
  expect(acceptStepLabel('Generate', { targets: [] }, label)).toBe('Generate');
  expect(acceptStepLabel('Derive all from RGB', { seed: 3, targets: [{ modality: 'tok_depth@128' }] }, label)).toBe('Derive all from RGB (seed 3)');
  expect(acceptStepLabel('Derive all from RGB', null, label)).toBe('Derive all from RGB');
  expect(acceptStepLabel('Generate', { inputs: { toString: {} }, targets: [{ modality: 'toString' }, null] }, label)).toBe('Regenerate region of toString');
});

test('the undo step of Use names what it put on the canvas, not "Accept result"', () => {
  expect(useStepLabel({ request: { seed: 1236 }, outputs: { 'tok_rgb@128': {} } }, label)).toBe('Use RGB (seed 1236) from the gallery');
  expect(useStepLabel({ request: { seed: 7 }, outputs: { 'tok_rgb@128': {}, 'tok_depth@128': {} } }, label)).toBe('Use RGB, Depth (seed 7) from the gallery');
  expect(useStepLabel({ request: null, outputs: { 'tok_depth@128': {} } }, label)).toBe('Use Depth from the gallery');
});

test('the staging strip calls a region result "Redo region", as its button; other jobs keep their label', () => {
  const region = { inputs: { 'tok_semseg@128': {}, 'tok_rgb@128': {} }, targets: [{ modality: 'tok_rgb@128' }] };
  expect(stagedJobName('Generate', region)).toBe('Redo region');
  expect(stagedJobName('Generate', { inputs: { 'tok_semseg@128': {} }, targets: [{ modality: 'tok_rgb@128' }] })).toBe('Generate');
  expect(stagedJobName('Derive all from RGB', { inputs: { 'tok_rgb@128': {} }, targets: [{ modality: 'tok_depth@128' }] })).toBe('Derive all from RGB');
  expect(stagedJobName('Generate', 'junk')).toBe('Generate');
});
