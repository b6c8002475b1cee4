/**
 * Electron IPC contract: channel -> signature. Only main/ipc and preload/index.ts
 * use these names; the renderer sees typed functions, never channels.
 */
export interface AppInfo {
  name: string;
  version: string;
  platform: string;
}

/** renderer -> main requests (ipcRenderer.invoke / ipcMain.handle). */
export interface InvokeContract {
  'app:info': { args: []; result: AppInfo };
  /** Ask main to (re)send a MessagePort to the current inference host. */
  'inference:connect': { args: []; result: void };
}

/** main -> renderer events (webContents.send / postMessage). */
export const MainEvents = {
  /** Carries a MessagePort to the inference host in `event.ports[0]`. */
  inferencePort: 'inference:port',
  /** The host died; payload is a FromHost 'host-exited' message. */
  hostExited: 'inference:host-exited',
} as const;

export type InvokeChannel = keyof InvokeContract;
