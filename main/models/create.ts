import { delimiter } from 'node:path';
import { MODELS_PATH_ENV, modelFolders } from '../../models/registry/folders';
import { userDataDir, userModelsDir, type PlatformInfo } from '../../models/registry/user-folder';
import { BASE_URL_ENV, DEFAULT_BASE_URL, OFFLINE_ENV, offlineFromEnv } from '../../models/manager/transfer-plan';
import type { ManagerContext } from '../../models/manager/store';
import { ModelService, type LocalPicker } from './model-service';

/**
 * The app's model service with the CLI's settings: the same user folder ($FOURM_STUDIO_DATA_DIR
 * or the platform's), STUDIO_MODELS_PATH first as the registry looks, FOURM_STUDIO_MODEL_BASE_URL
 * and FOURM_STUDIO_OFFLINE.
 */
export function createModelService(p: PlatformInfo & { bundledDir: string; picker: 'native' | 'typed'; pickLocal: LocalPicker; availableMemory?: () => number; freeSpace?: ManagerContext['freeSpace'] }): ModelService {
  const userDir = userModelsDir(p);
  const baseUrl = p.env[BASE_URL_ENV] ?? DEFAULT_BASE_URL;
  return new ModelService({
    manager: {
      userDir,
      bundledDir: p.bundledDir,
      extraDirs: modelFolders({ extra: p.env[MODELS_PATH_ENV], user: userDir, bundled: p.bundledDir, delimiter }).filter((f) => f.origin === 'extra').map((f) => f.path),
      baseUrl: /^https?:\/\/[^/]/i.test(baseUrl) ? baseUrl : DEFAULT_BASE_URL,
      offline: offlineFromEnv(p.env[OFFLINE_ENV]),
      ...(p.freeSpace ? { freeSpace: p.freeSpace } : {}),
    },
    dataDir: userDataDir(p),
    picker: p.picker,
    pickLocal: p.pickLocal,
    ...(p.availableMemory ? { availableMemory: p.availableMemory } : {}),
  });
}
