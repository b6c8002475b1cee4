import { BrowserWindow, dialog, type OpenDialogOptions } from 'electron';
import { homedir } from 'node:os';
import { MODEL_CHANNELS } from '../../preload/contract/models';
import { handle } from '../ipc/typed-ipc';
import { createModelService } from './create';
import { dispatchModelCall } from './dispatch';

/**
 * Registers the model manager's channels. Imports go through the OS's own dialog, modal to the
 * window that asked: a path the page sends is ignored, so the page can never name a file.
 */
export function serveModelManager(bundledDir: string): void {
  let window: BrowserWindow | null = null;
  const service = createModelService({
    env: process.env, platform: process.platform, home: homedir(), bundledDir, picker: 'native',
    async pickLocal(pick) {
      const options: OpenDialogOptions = pick === 'folder'
        ? { title: 'Import a model folder', properties: ['openDirectory'] }
        : { title: 'Import a model file', properties: ['openFile'], filters: [{ name: '4M checkpoint or package manifest', extensions: ['safetensors', 'json'] }] };
      const r = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
  });
  for (const channel of MODEL_CHANNELS) {
    handle(channel, (event, args) => {
      window = BrowserWindow.fromWebContents(event.sender);
      return dispatchModelCall(service, channel, args) as never;
    });
  }
}
