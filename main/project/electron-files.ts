import { app, BrowserWindow, dialog, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import { join } from 'node:path';
import { PROJECT_CHANNELS, PROJECT_EXTENSION } from '../../preload/contract/projects';
import { handle } from '../ipc/typed-ipc';
import { dispatchProjectCall } from './dispatch';
import { ProjectService, type FileDialogs } from './project-service';

const filters = [{ name: '4M Studio project', extensions: [PROJECT_EXTENSION.slice(1)] }];

/** Native dialogs, modal to the window that asked. */
function nativeDialogs(window: BrowserWindow | null): FileDialogs {
  return {
    async chooseSavePath(suggestedName) {
      const options: SaveDialogOptions = {
        title: 'Save project',
        defaultPath: join(app.getPath('documents'), `${suggestedName}${PROJECT_EXTENSION}`),
        filters,
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const r = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    async chooseOpenPath() {
      const options: OpenDialogOptions = { title: 'Open project', filters, properties: ['openFile'] };
      const r = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
  };
}

/**
 * Registers the project channels: recent list in userData, autosave in userData/autosave; every
 * project opened or saved also goes to the OS's recent documents (Dock, Jump List, GTK recent).
 */
export async function serveProjectFiles(): Promise<ProjectService> {
  const userData = app.getPath('userData');
  const service = await ProjectService.create({
    stateDir: userData,
    autosaveDir: join(userData, 'autosave'),
    onRecent: (path) => app.addRecentDocument(path),
  });
  for (const channel of PROJECT_CHANNELS) {
    handle(channel, (event, args) => {
      const dialogs = nativeDialogs(BrowserWindow.fromWebContents(event.sender));
      return dispatchProjectCall(service, dialogs, channel, args);
    });
  }
  return service;
}
