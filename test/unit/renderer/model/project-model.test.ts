import { expect, test } from 'vitest';
import type { InstalledModel, ModelList } from '../../../../preload/contract/models';
import { layoutNotice, mismatchHint, missingNotice, projectNeed, switchedNotice, switchFailedNotice, switchingNotice, unusableNotice, whereIsModel, wrongModelText } from '../../../../renderer/src/model/projectModel';
import { testManifest } from '../document/fixtures';

const list = (installed: Partial<InstalledModel>[], catalog: string[] = []): ModelList =>
  ({ installed: installed as InstalledModel[], catalog: catalog.map((id) => ({ id })), userDir: '/u', availableMemory: 1, offline: false, picker: 'typed' }) as unknown as ModelList;

test('what an opened project needs: nothing, another model, or the same model laid out otherwise now', () => {
  const m = testManifest();
  expect(projectNeed(m, { id: 'test-model', manifest: m })).toEqual({ other: false, layoutDiffers: false });
  expect(projectNeed({ ...m, modelId: '4M-21_B' }, { id: 'test-model', manifest: m })).toEqual({ other: true, layoutDiffers: false });
  expect(projectNeed(testManifest(64, 64), { id: 'test-model', manifest: m })).toEqual({ other: false, layoutDiffers: true });
});

test('where the project\'s model is: installed (not a shadowed copy), downloadable, or neither', () => {
  expect(whereIsModel('4M-21_B', list([{ id: '4M-21_B', displayName: '4M-21 B', shadowed: false }]))).toEqual({ state: 'installed', name: '4M-21 B' });
  expect(whereIsModel('4M-21_B', list([{ id: '4M-21_B', displayName: 'x', shadowed: true }], ['4M-21_B']))).toEqual({ state: 'catalog' });
  expect(whereIsModel('my-model', list([]))).toEqual({ state: 'unknown' });
  expect(whereIsModel('my-model', null)).toEqual({ state: 'unknown' });
});

test('the notices say which model, what happens to the layers, and how to get the model', () => {
  expect(switchingNotice('scene.4mproj', '4M-21 B')).toEqual({ id: 'project-model', tone: 'info', text: 'scene.4mproj was made with 4M-21 B: switching the editor to that model… (its layers are kept as saved)' });
  expect(switchedNotice('scene.4mproj', '4M-21 B', false).text).toBe('scene.4mproj was made with 4M-21 B; the editor switched to that model.');
  expect(switchedNotice('scene.4mproj', '4M-21 B', true)).toMatchObject({ tone: 'warn', text: 'scene.4mproj was made with 4M-21 B; the editor switched to that model. The installed 4M-21 B has other layers than when the project was made; its layers are kept as saved.' });
  expect(layoutNotice('scene.4mproj', 'World').text).toBe('scene.4mproj was made with another version of World (other layers than the installed one); its layers are kept as saved.');
  expect(missingNotice('scene.4mproj', '4M-21_B', 'catalog')).toEqual({
    id: 'project-model',
    tone: 'warn',
    text: 'scene.4mproj was made with the model "4M-21_B", which is not installed here. Nothing is lost: its layers are kept as saved and shown as they are. To generate with them, download it in Models (Ctrl+Shift+M), or import its folder there if you have it; the editor then switches to it when the project is opened.',
  });
  expect(missingNotice('scene.4mproj', 'my-4m', 'unknown').text).toMatch(/"my-4m", which is not installed here\. .* To generate with them, add its folder with Models \(Ctrl\+Shift\+M\) → Import folder…;/);
  expect(unusableNotice('scene.4mproj', '4M-21 B', 'Will not fit in memory: needs 5 GiB').text).toBe('scene.4mproj was made with 4M-21 B, which is installed but cannot be opened now: Will not fit in memory: needs 5 GiB. Its layers are kept as saved; see Models (Ctrl+Shift+M).');
  expect(switchFailedNotice('scene.4mproj', '4M-21 B', 'fm/config.json: missing.', 'World').text).toBe('scene.4mproj was made with 4M-21 B, which could not be opened: fm/config.json: missing. Its layers are kept as saved; going back to World.');
  expect(wrongModelText('4M-21_B', 'World 4M small')).toBe('This document\'s layers are for the model "4M-21_B", but World 4M small is open: install "4M-21_B" (Models, Ctrl+Shift+M) and reopen the project, or start a new document.');
});

test('the Generate panel says why a project made with another model is not sent to the open one', () => {
  expect(mismatchHint('4M-21_B', 'World 4M small')).toEqual({
    short: 'Generate is off: this project\'s layers are for "4M-21_B", not World 4M small.',
    long: 'This project was made with "4M-21_B"; World 4M small is open and its layers differ, so Generate is off. Install "4M-21_B" in Models (Ctrl+Shift+M), or Use it there, to generate with it.',
  });
});
