import { describe, expect, it } from 'vitest';
import { loadEngineModel } from '../../../../models/engine/generate';
import { acceptanceMessage, licenseLine, needsAcceptance } from '../../../../models/registry/license';
import { availableMemory, estimateCheckpointBytes, memoryRefusal } from '../../../../models/registry/memory';
import { userDataDir, userModelsDir } from '../../../../models/registry/user-folder';
import { MODEL_DIR } from '../engine/model-fixture';

describe('user data folder', () => {
  it('resolves per platform, overridable by FOURM_STUDIO_DATA_DIR', () => {
    expect(userModelsDir({ env: {}, platform: 'linux', home: '/home/a' })).toBe('/home/a/.local/share/4m-studio/models');
    expect(userDataDir({ env: { XDG_DATA_HOME: '/data' }, platform: 'linux', home: '/home/a' })).toBe('/data/4m-studio');
    expect(userDataDir({ env: { XDG_DATA_HOME: 'relative' }, platform: 'linux', home: '/home/a' })).toBe('/home/a/.local/share/4m-studio');
    expect(userModelsDir({ env: {}, platform: 'darwin', home: '/Users/a' })).toBe('/Users/a/Library/Application Support/4M Studio/models');
    expect(userModelsDir({ env: { LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' }, platform: 'win32', home: 'C:\\Users\\a' })).toBe('C:\\Users\\a\\AppData\\Local\\4M Studio\\models');
    expect(userModelsDir({ env: {}, platform: 'win32', home: 'C:\\Users\\a' })).toBe('C:\\Users\\a\\AppData\\Local\\4M Studio\\models');
    expect(userModelsDir({ env: { FOURM_STUDIO_DATA_DIR: '/tmp/x' }, platform: 'linux', home: '/home/a' })).toBe('/tmp/x/models');
  });
});

describe('memory estimate and licences', () => {
  it('refuses what does not fit, with a smaller model to try', () => {
    expect(memoryRefusal('m', 10, 20)).toBeUndefined();
    expect(memoryRefusal('model 4M-21_L', 7.75 * 2 ** 30, 4 * 2 ** 30, '4M-21_B')).toBe(
      'model 4M-21_L needs about 7.8 GiB of memory to load, but only 4.0 GiB is available: use a smaller model such as 4M-21_B, or close other programs',
    );
    expect(estimateCheckpointBytes(834e6)).toBeGreaterThan(834e6 * 4);
    expect(availableMemory('linux', 1, 100)).toBe(1);
    expect(availableMemory('darwin', 1, 100)).toBe(70);
  });

  it('says which licences need accepting', () => {
    const nc = { name: 'NC', nonCommercial: true, url: 'https://x' };
    expect(needsAcceptance(nc)).toBe(true);
    expect(needsAcceptance({ name: 'MIT', nonCommercial: false })).toBe(false);
    expect(needsAcceptance(undefined)).toBe(false);
    expect(licenseLine(nc, '2026-11-29T20:00:00Z')).toBe('NC — NON-COMMERCIAL (accepted 2026-11-29)');
    expect(acceptanceMessage('m', nc)).toBe('m is under the NC; read it at https://x. Run again with --accept-license to accept it and install');
  });

  it('the engine refuses to load a package that will not fit, before opening any graph', async () => {
    await expect(loadEngineModel(MODEL_DIR, { verifyHashes: false, availableMemory: 100 * 2 ** 20 })).rejects.toThrow(
      /^model world-4m-small needs about 0\.3 GiB of memory to load, but only 0\.1 GiB is available: close other programs or use a smaller model$/,
    );
  });
});
