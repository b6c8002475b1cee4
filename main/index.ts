import { app, BrowserWindow, Menu, session } from 'electron';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { homedir } from 'node:os';
import { bundledModelsDir, MODELS_PATH_ENV, modelFolders } from '../models/registry/folders';
import { userDataDir, userModelsDir } from '../models/registry/user-folder';
import { ACTIVE_MODEL_FILE } from './inference/host/remembered-model';
import { createInferenceService } from './inference/electron-host';
import { MainEvents } from '../preload/contract/channels';
import { handle } from './ipc/typed-ipc';
import { RotatingLog } from './logging/rotating-log';
import { serveModelManager } from './models/electron-models';
import { serveProjectFiles } from './project/electron-files';
import { projectPathsIn } from './project/launch-files';
import type { ProjectService } from './project/project-service';
import { OpenRequests } from './project/open-requests';
import { applicationMenu } from './windows/app-menu';
import { registerAppScheme, serveAppProtocol } from './windows/app-protocol';
import { CloseGuard } from './windows/close-guard';
import { createMainWindow } from './windows/main-window';

/** Electron main: lifecycle, windows, IPC, and supervision of the inference host. No ML here. */
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const dev = !app.isPackaged || process.env['ELECTRON_RENDERER_URL'] !== undefined;
registerAppScheme(); // must precede 'ready'
// One instance per user: a second one would share (and overwrite) the autosave. It hands its
// files over to the first ('second-instance' below) and quits.
const primary = app.requestSingleInstanceLock();
if (!primary) app.quit();
// Rotating logs under the user's data folder: main's own events and everything the host prints.
const logsDir = join(app.getPath('userData'), 'logs');
const mainLog = new RotatingLog(logsDir, 'main');
const hostLog = new RotatingLog(logsDir, 'inference-host');
if (primary) mainLog.write('main', `4M Studio ${app.getVersion()} starting (${process.platform}, Electron ${process.versions.electron ?? '?'})`);
// The model registry's lookup order: STUDIO_MODELS_PATH (development), the user's models folder,
// then the bundled packages (extra resources outside the asar in an installed app).
const bundledDir = bundledModelsDir({ packaged: app.isPackaged, resourcesPath: process.resourcesPath, appPath: app.getAppPath() });
const inference = createInferenceService(join(outDir, 'main', 'inference-host.js'), {
  modelFolders: modelFolders({
    extra: process.env[MODELS_PATH_ENV],
    user: userModelsDir({ env: process.env, platform: process.platform, home: homedir() }),
    bundled: bundledDir,
    delimiter,
  }),
  // The model the artist chose last time, reopened at start (user data folder, beside accepted-licenses.json).
  activeModelFile: join(userDataDir({ env: process.env, platform: process.platform, home: homedir() }), ACTIVE_MODEL_FILE),
}, { logsDir, mainLog: (text) => mainLog.write('main', text), hostLog: (text) => hostLog.write('host', text) });

app.enableSandbox();
const closeGuard = new CloseGuard();
// .4mproj files the OS hands over: on the command line (Windows, Linux file association) and by
// 'open-file' (macOS, which may fire before 'ready'); delivered once a window has loaded.
const openRequests = new OpenRequests();
let projects: ProjectService | undefined;
for (const path of projectPathsIn(process.argv.slice(1), process.cwd())) openRequests.add(path);
app.on('open-file', (event, path) => {
  event.preventDefault();
  openRequests.add(path);
});
const openWindow = (): void => {
  const window = createMainWindow(outDir, { dev, confirmReload: (w) => closeGuard.confirmReload(w) });
  closeGuard.attach(window);
  window.webContents.on('did-finish-load', () =>
    openRequests.target((path) => {
      // A path from the OS was chosen by the artist (a double-click), so the renderer may open it.
      try {
        const granted = projects?.grant(path);
        if (granted) window.webContents.send(MainEvents.openProject, granted);
      } catch {
        // not an absolute .4mproj path: nothing to open
      }
    }),
  );
  window.on('closed', () => openRequests.target(undefined));
};

void app.whenReady().then(async () => {
  if (!primary) return;
  // The app is offline: refuse every permission request and answer every permission check with no.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, done) => done(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  serveAppProtocol(join(outDir, 'renderer'));
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      applicationMenu({ platform: process.platform, dev, appName: app.getName() }, {
        reload: () => {
          const window = BrowserWindow.getFocusedWindow();
          if (window && closeGuard.confirmReload(window)) window.webContents.reload();
        },
      }),
    ),
  );

  handle('app:info', () => ({ name: app.getName(), version: app.getVersion(), platform: process.platform }));
  handle('inference:connect', (event) => inference.connect(event.sender));
  handle('window:unsaved', (event, state) => closeGuard.update(event.sender.id, state));
  projects = await serveProjectFiles();
  serveModelManager(bundledDir);
  app.on('second-instance', (_event, argv, cwd) => {
    for (const path of projectPathsIn(argv.slice(1), cwd)) openRequests.add(path);
    const window = BrowserWindow.getAllWindows()[0];
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });

  openWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
});

app.on('window-all-closed', () => {
  inference.stop();
  if (process.platform !== 'darwin') app.quit();
});
