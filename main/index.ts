import { app, BrowserWindow, session } from 'electron';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { homedir } from 'node:os';
import { bundledModelsDir, MODELS_PATH_ENV, modelFolders } from '../models/registry/folders';
import { userModelsDir } from '../models/registry/user-folder';
import { createInferenceService } from './inference/electron-host';
import { handle } from './ipc/typed-ipc';
import { serveProjectFiles } from './project/electron-files';
import { CloseGuard } from './windows/close-guard';
import { createMainWindow } from './windows/main-window';

/** Electron main: lifecycle, windows, IPC, and supervision of the inference host. No ML here. */
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..');
// The model registry's lookup order: STUDIO_MODELS_PATH (development), the user's models folder,
// then the bundled packages (extra resources outside the asar in an installed app).
const inference = createInferenceService(join(outDir, 'main', 'inference-host.js'), {
  modelFolders: modelFolders({
    extra: process.env[MODELS_PATH_ENV],
    user: userModelsDir({ env: process.env, platform: process.platform, home: homedir() }),
    bundled: bundledModelsDir({ packaged: app.isPackaged, resourcesPath: process.resourcesPath, appPath: app.getAppPath() }),
    delimiter,
  }),
});

app.enableSandbox();
const closeGuard = new CloseGuard();
const openWindow = (): void => closeGuard.attach(createMainWindow(outDir));

void app.whenReady().then(async () => {
  // The app is offline: refuse every permission request (camera, notifications, ...).
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, done) => done(false));

  handle('app:info', () => ({ name: app.getName(), version: app.getVersion(), platform: process.platform }));
  handle('inference:connect', (event) => inference.connect(event.sender));
  handle('window:unsaved', (event, state) => closeGuard.update(event.sender.id, state));
  await serveProjectFiles();

  openWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
});

app.on('window-all-closed', () => {
  inference.stop();
  if (process.platform !== 'darwin') app.quit();
});
