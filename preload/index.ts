import { contextBridge, ipcRenderer } from 'electron';
import type { StudioApi } from './contract/api';
import { MainEvents, type InvokeChannel, type InvokeContract } from './contract/channels';
import type { ToHostInput } from './contract/jobs';
import type { ModelArgs, ModelChannel, ModelChannelResult } from './contract/models';
import type { ProjectArgs, ProjectChannel, ProjectResult } from './contract/projects';

/**
 * The preload: exposes `window.studio`, a handful of typed functions. It holds
 * the MessagePort to the inference host itself, so no Electron object or
 * channel name reaches the page. Sandboxed: bundled to one CJS file.
 */
function invoke<C extends InvokeChannel>(
  channel: C,
  ...args: InvokeContract[C]['args']
): Promise<InvokeContract[C]['result']> {
  return ipcRenderer.invoke(channel, ...args) as Promise<InvokeContract[C]['result']>;
}

let port: MessagePort | undefined;
const pending: ToHostInput[] = [];
const listeners = new Set<(message: unknown) => void>();
const emit = (message: unknown): void => listeners.forEach((listener) => listener(message));

ipcRenderer.on(MainEvents.inferencePort, (event) => {
  port?.close();
  port = event.ports[0];
  if (!port) return;
  port.onmessage = (e: MessageEvent) => emit(e.data);
  for (const message of pending.splice(0)) port.postMessage(message);
});
ipcRenderer.on(MainEvents.hostExited, (_event, message: unknown) => {
  port = undefined;
  emit(message);
});

// Projects main asks to open; kept until the editor subscribes (the launch file comes early).
const openRequests: string[] = [];
const openListeners = new Set<(path: string) => void>();
ipcRenderer.on(MainEvents.openProject, (_event, path: unknown) => {
  if (typeof path !== 'string') return;
  if (openListeners.size === 0) openRequests.push(path);
  else openListeners.forEach((listener) => listener(path));
});

const api: StudioApi = {
  appInfo: () => invoke('app:info'),
  inference: {
    send(message) {
      if (port) port.postMessage(message);
      else pending.push(message);
    },
    subscribe(listener) {
      listeners.add(listener);
      if (listeners.size === 1) void invoke('inference:connect');
      return () => listeners.delete(listener);
    },
  },
  setUnsaved: (state) => void invoke('window:unsaved', state),
  onOpenProject(listener) {
    openListeners.add(listener);
    for (const path of openRequests.splice(0)) listener(path);
    return () => openListeners.delete(listener);
  },
  projects: {
    // Main validates the request; the renderer validates the answer (services/projects.ts).
    call: <C extends ProjectChannel>(channel: C, args: ProjectArgs<C>) =>
      invoke(channel, ...([args] as InvokeContract[C]['args'])) as Promise<ProjectResult<C>>,
  },
  models: {
    // Main validates the request; the renderer validates the answer (services/models.ts).
    call: <C extends ModelChannel>(channel: C, args: ModelArgs<C>) =>
      invoke(channel, ...([args] as InvokeContract[C]['args'])) as Promise<ModelChannelResult<C>>,
  },
};

contextBridge.exposeInMainWorld('studio', api);
