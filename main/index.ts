import { app, BrowserWindow, session } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInferenceService } from './inference/electron-host';
import { handle } from './ipc/typed-ipc';
import { serveProjectFiles } from './project/electron-files';
import { CloseGuard } from './windows/close-guard';
import { createMainWindow } from './windows/main-window';

/** Electron main: lifecycle, windows, IPC, and supervision of the inference host. No ML here. */
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..');
// ONNX Runtime reads the model with native I/O, so a packaged app must point into app.asar.unpacked.
const appRoot = app.getAppPath().replace(/app\.asar$/, 'app.asar.unpacked');
const modelPath = join(appRoot, 'models', 'zoo', 'placeholder', 'placeholder-relief.onnx');
const inference = createInferenceService(join(outDir, 'main', 'inference-host.js'), modelPath);

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
