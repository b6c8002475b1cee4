import { expect, test } from 'vitest';
import type { ModelStatus } from '../../../../preload/contract/jobs';
import type { InstalledModel } from '../../../../preload/contract/models';
import { formatBytes } from '../../../../preload/contract/models';
import { activeModelId, activeSummary, backendsText, errorText, licenseText, memoryText, progressText, sortInstalled } from '../../../../renderer/src/models/modelRows';

const loaded: ModelStatus = {
  state: 'loaded', modelId: 'world-4m-small', displayName: 'World', loadMs: 1,
  execution: { provider: 'cpu', skipped: [{ provider: 'cuda', reason: 'CUDA provider not installed' }] },
  graphs: [{ graph: 'fm', provider: 'cpu', skipped: [] }, { graph: 'vq', provider: 'cpu', skipped: [] }],
};

test('backends: packages and official model folders run on what the host got; a download or lone checkpoint says it needs its tokenizers', () => {
  expect(backendsText('package', loaded)).toEqual({ text: 'cpu', title: 'cuda: CUDA provider not installed' });
  expect(backendsText('package', { state: 'loading', modelId: 'x' }).text).toBe('ONNX Runtime (waiting for the host)');
  expect(backendsText('official', loaded).text).toBe('cpu');
  // Not "none yet": where it will run, and what it needs first.
  expect(backendsText('checkpoint', loaded).text).toBe('cpu, with its tokenizers');
  expect(backendsText('catalog', loaded).text).toBe('cpu, with its tokenizers');
  expect(backendsText('catalog', undefined).text).toBe('ONNX Runtime, with its tokenizers');
  expect(backendsText('catalog', undefined).title).toMatch(/^A download is the FM checkpoint alone, which cannot generate: import it as an official model folder \(fm\/ \+ tokenizers/);
  expect(backendsText('checkpoint', loaded).title).toMatch(/^A lone official checkpoint cannot generate in the app: .* runs on cpu, as the open model does\.$/);
});

test('sizes, licences, memory and progress in words', () => {
  expect(formatBytes(512)).toBe('512 B');
  expect(formatBytes(59.8 * 2 ** 20)).toBe('60 MiB');
  expect(formatBytes(3.3 * 2 ** 30)).toBe('3.3 GiB');
  expect(licenseText(null)).toBe('Licence not stated');
  expect(licenseText(null, 'user')).toBe('Licence not stated');
  // The bundled model is the project's own: said as such, not as an unknown.
  expect(licenseText(null, 'bundled')).toBe("Made by this project (trained on its own synthetic world; no third-party weights or data): the app's own terms");
  expect(licenseText({ name: 'MIT', nonCommercial: false }, 'bundled')).toBe('MIT');
  expect(licenseText({ name: '4M weights', nonCommercial: true })).toBe('4M weights — non-commercial');
  expect(licenseText({ name: 'MIT', nonCommercial: false })).toBe('MIT');
  expect(memoryText(2 ** 30, 8 * 2 ** 30)).toBe('needs ≈1.0 GiB of 8.0 GiB free');
  expect(memoryText(0, 1)).toBe('memory unknown');
  const task = { id: 't', label: '4M-21_B', kind: 'download' as const, state: 'running' as const, file: 'model.safetensors', done: 2 ** 30, total: 2 * 2 ** 30, modelId: null, error: null };
  expect(progressText(task)).toBe('Downloading 4M-21_B · model.safetensors: 1.0 GiB of 2.0 GiB (50 %)');
  expect(progressText({ ...task, kind: 'import', done: 0, file: null, total: null })).toBe('Importing 4M-21_B…');
});

test('errors get a headline; the manager message stays whole', () => {
  expect(errorText({ code: 'checksum', message: 'x: sha256 a does not match b' })).toBe('The download is corrupt: x: sha256 a does not match b');
  expect(errorText({ code: 'disk-full', message: 'not enough disk space: …' })).toBe('Not enough disk space: not enough disk space: …');
  expect(errorText({ code: 'failed', message: 'plain' })).toBe('plain');
});

test('the active model and the registry order', () => {
  expect(activeModelId(loaded)).toBe('world-4m-small');
  expect(activeModelId({ state: 'failed', modelId: null, message: 'x' })).toBeNull();
  expect(activeModelId(undefined)).toBeNull();
  const m = (id: string, where: InstalledModel['where']) => ({ id, where }) as InstalledModel;
  expect(sortInstalled([m('a', 'bundled'), m('b', 'user'), m('c', 'extra')]).map((x) => x.id)).toEqual(['c', 'b', 'a']);
});

test('the active line: which model the editor uses, opening or failed, and the way back to the bundled model', () => {
  const m = (id: string, where: InstalledModel['where'], displayName = id, shadowed = false) => ({ id, where, displayName, shadowed }) as InstalledModel;
  const installed = [m('4M-21-fixture', 'user', '4M-21 fixture'), m('world-4m-small', 'bundled', 'World 4M small')];
  expect(activeSummary(loaded, installed)).toEqual({ text: 'Active: World, bundled with the app. The editor is laid out for it.', tone: 'ok', back: null });
  const official: ModelStatus = { ...loaded, modelId: '4M-21-fixture', displayName: '4M-21 fixture' };
  expect(activeSummary(official, installed)).toEqual({
    text: 'Active: 4M-21 fixture, from your models folder. The editor is laid out for it.',
    tone: 'ok',
    back: { id: 'world-4m-small', name: 'World 4M small' },
  });
  expect(activeSummary({ state: 'loading', modelId: '4M-21-fixture' }, installed)).toMatchObject({ text: 'Opening 4M-21 fixture… (the editor switches to it when it is ready)', tone: 'busy' });
  expect(activeSummary({ state: 'failed', modelId: '4M-21-fixture', message: 'fm/config.json: missing' }, installed)).toEqual({
    text: '4M-21 fixture could not be opened: fm/config.json: missing',
    tone: 'bad',
    back: { id: 'world-4m-small', name: 'World 4M small' },
  });
  expect(activeSummary(undefined, installed)).toEqual({ text: 'Waiting for the inference host…', tone: 'busy', back: null });
  // A shadowed bundled copy is not the one the registry opens; no bundled model, no way back offered.
  expect(activeSummary(official, [m('world-4m-small', 'bundled', 'W', true)]).back).toBeNull();
});
