import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODELS_PATH_ENV, modelFolders } from '../../models/registry/folders';
import { makeFolder } from '../../models/registry/make-folder';
import { userDataDir, userModelsDir } from '../../models/registry/user-folder';
import { ACTIVE_MODEL_FILE } from '../inference/host/remembered-model';
import { createModelService } from '../models/create';
import { startHarness } from './server';
import { claimExactStateDir, claimStateDir, userStateBase } from './state-dir';

/**
 * `npm run web`: the built app in any browser, on loopback, against the real
 * inference host running under plain Node. Built to out/main/harness.js.
 */
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const port = Number(process.env['PORT'] ?? 5780);
// Save As / Open work in this folder (the harness has no native dialogs); recent list and
// autosave live in the user's state folder, one per project folder and running instance, so
// recovery works after restarting the harness and never offers another instance's document.
const projectDir = process.env['STUDIO_PROJECT_DIR'] ?? join(homedir(), '4M Studio Projects');
// STUDIO_FILES=off: no file channel; the renderer falls back to download/upload and IndexedDB.
const files = process.env['STUDIO_FILES'] !== 'off';
if (files) await makeFolder(projectDir);
const explicitState = process.env['STUDIO_STATE_DIR'];
const state = files
  ? explicitState
    ? await claimExactStateDir(explicitState)
    : await claimStateDir(userStateBase(process.env, homedir(), process.platform), projectDir)
  : undefined;
const stateDir = state?.dir ?? '';

const bundledDir = join(root, 'models', 'zoo');
// Tests only: how much memory a model may use, to see the panel refuse one that does not fit.
const testMemory = Number(process.env['STUDIO_TEST_AVAILABLE_MEMORY'] ?? NaN);
// Tests only: free disk space in bytes, so a download's space check does not depend on the test machine's disk.
const testFreeSpace = Number(process.env['STUDIO_TEST_FREE_SPACE'] ?? NaN);
// The harness has no native dialog: the panel sends the path typed into its import field.
const models = createModelService({
  env: process.env, platform: process.platform, home: homedir(), bundledDir, picker: 'typed',
  pickLocal: async (_pick, typed) => typed ?? null,
  ...(Number.isFinite(testMemory) ? { availableMemory: () => testMemory } : {}),
  ...(Number.isFinite(testFreeSpace) ? { freeSpace: () => Promise.resolve(testFreeSpace) } : {}),
});

const harness = await startHarness({
  rendererDir: join(here, '..', 'renderer'),
  hostEntry: join(here, 'inference-host.js'),
  // The registry's lookup order: STUDIO_MODELS_PATH, the user's models folder, the repository's zoo.
  modelFolders: modelFolders({
    extra: process.env[MODELS_PATH_ENV],
    user: userModelsDir({ env: process.env, platform: process.platform, home: homedir() }),
    bundled: bundledDir,
    delimiter,
  }),
  // The model chosen last time, in the same user data folder as the models and accepted licences.
  activeModelFile: join(userDataDir({ env: process.env, platform: process.platform, home: homedir() }), ACTIVE_MODEL_FILE),
  // Tests only (the e2e suite's supervision tests): a host fixture module instead of the model.
  ...(process.env['STUDIO_TEST_HOST_FIXTURE'] ? { hostFixture: process.env['STUDIO_TEST_HOST_FIXTURE'] } : {}),
  port,
  ...(files ? { projects: { projectDir, stateDir } } : {}),
  models,
});
process.stdout.write(`4M Studio web harness: ${harness.url}\nProjects: ${files ? `${projectDir} (autosave in ${stateDir})` : 'off'}\n(Ctrl+C to stop)\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void harness.close().then(() => state?.release()).then(() => process.exit(0)));
}
