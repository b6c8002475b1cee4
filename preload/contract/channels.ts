import type { ModelArgs, ModelChannel, ModelChannelResult } from './models';
import type { ProjectArgs, ProjectChannel, ProjectResult } from './projects';
import type { UnsavedState } from './window';

/**
 * Electron IPC contract: channel -> signature. Only main/ipc and preload/index.ts
 * use these names; the renderer sees typed functions, never channels.
 */
export interface AppInfo {
  name: string;
  version: string;
  platform: string;
}

/** The project-file channels (projects.ts): one request object in, a FileResult out. */
type ProjectInvokes = { [C in ProjectChannel]: { args: [ProjectArgs<C>]; result: ProjectResult<C> } };

/** The model manager's channels (models.ts), the same shape. */
type ModelInvokes = { [C in ModelChannel]: { args: [ModelArgs<C>]; result: ModelChannelResult<C> } };

/** renderer -> main requests (ipcRenderer.invoke / ipcMain.handle). */
export interface InvokeContract extends ProjectInvokes, ModelInvokes {
  'app:info': { args: []; result: AppInfo };
  /** The document's unsaved state and whether a result waits for Accept, so closing the window can ask first (window.ts). */
  'window:unsaved': { args: [UnsavedState]; result: void };
  /** Ask main to (re)send a MessagePort to the current inference host. */
  'inference:connect': { args: []; result: void };
}

/** main -> renderer events (webContents.send / postMessage). */
export const MainEvents = {
  /** Carries a MessagePort to the inference host in `event.ports[0]`. */
  inferencePort: 'inference:port',
  /** The host died; payload is a FromHost 'host-exited' message. */
  hostExited: 'inference:host-exited',
  /** Open this project (absolute path, already granted): a double-clicked .4mproj or the command line. */
  openProject: 'project:open-request',
} as const;

export type InvokeChannel = keyof InvokeContract;
