import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { bundledModelsDir, DEFAULT_MODEL_ID, modelFolders, type ModelFolder } from '../../../../models/registry/folders';
import { findModel, ModelNotFoundError, scanModels } from '../../../../models/registry/registry';

const zoo = resolve(import.meta.dirname, '../../../../models/zoo');
const bundled: ModelFolder = { path: zoo, origin: 'bundled' };

describe('model folders', () => {
  test('lookup order: extra folders, the user folder, the bundled one; duplicates dropped', () => {
    expect(modelFolders({ extra: '/e1::/e2', user: '/u', bundled: '/b' })).toEqual([
      { path: '/e1', origin: 'extra' },
      { path: '/e2', origin: 'extra' },
      { path: '/u', origin: 'user' },
      { path: '/b', origin: 'bundled' },
    ]);
    expect(modelFolders({ extra: undefined, user: '/b', bundled: '/b' })).toEqual([{ path: '/b', origin: 'user' }]);
  });

  test('an installed app reads its bundled models from the resources folder, outside the asar', () => {
    expect(bundledModelsDir({ packaged: true, resourcesPath: '/opt/4M Studio/resources', appPath: '/opt/4M Studio/resources/app.asar' })).toBe('/opt/4M Studio/resources/models');
    expect(bundledModelsDir({ packaged: false, resourcesPath: '/electron/resources', appPath: '/repo' })).toBe('/repo/models/zoo');
  });
});

describe('the registry', () => {
  test('finds the default model in the bundled zoo, validated by its manifest', async () => {
    expect(DEFAULT_MODEL_ID).toBe('world-4m-small');
    const model = await findModel([bundled]);
    expect(model).toMatchObject({ id: 'world-4m-small', dir: join(zoo, 'world-4m-small'), folder: bundled });
    expect(model.manifest.modalities.length).toBeGreaterThan(0);
  });

  test("a user's copy of a model wins over the bundled one; broken packages are reported, stray folders ignored", async () => {
    const user = mkdtempSync(join(tmpdir(), '4m-registry-'));
    symlinkSync(join(zoo, 'world-4m-small'), join(user, 'my-copy'));
    mkdirSync(join(user, 'broken'));
    writeFileSync(join(user, 'broken', 'manifest.json'), '{"format": "4m-studio.model/1"}');
    mkdirSync(join(user, 'not-a-package'));
    const folders: ModelFolder[] = [{ path: join(user, 'missing'), origin: 'extra' }, { path: user, origin: 'user' }, bundled];
    const scan = await scanModels(folders);
    expect(scan.models.map((m) => [m.id, m.folder.origin, m.dir])).toEqual([['world-4m-small', 'user', join(user, 'my-copy')]]);
    expect(scan.problems).toHaveLength(1);
    expect(scan.problems[0]).toMatch(/broken[/\\]manifest\.json: id: /);
    expect((await findModel(folders)).folder.origin).toBe('user');
  });

  test('a package whose file was truncated is refused with the file named', async () => {
    const user = mkdtempSync(join(tmpdir(), '4m-registry-'));
    cpSync(join(zoo, 'world-4m-small', 'manifest.json'), join(user, 'cut', 'manifest.json'), { recursive: true });
    const { models, problems } = await scanModels([{ path: user, origin: 'user' }]);
    expect(models).toEqual([]);
    expect(problems[0]).toMatch(/cut[/\\].*: missing \(manifest files\./);
  });

  test('a model that is nowhere gives one error naming every folder searched and what is installed', async () => {
    const folders: ModelFolder[] = [{ path: '/nowhere/models', origin: 'user' }, bundled];
    const error = await findModel(folders, 'no-such-model').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelNotFoundError);
    expect((error as Error).message).toBe(`Model "no-such-model" was not found. Searched /nowhere/models (user), ${zoo} (bundled). Installed: world-4m-small.`);
  });
});
