import type { StudioApi } from '../../../preload/contract/api';
import type { ToHostInput } from '../../../preload/contract/jobs';
import type { ProjectsApi } from '../../../preload/contract/projects';
import { MAX_UNSAVED_NAME, type UnsavedState } from '../../../preload/contract/window';
import { harnessProjects, validatedProjects } from './projects';

/**
 * The renderer's one door to the outside. In Electron it uses the preload's
 * `window.studio`; in the browser harness it speaks the same messages over a
 * WebSocket to the page's own origin. Nothing else in the renderer knows which.
 */
export interface InferenceTransport {
  send(message: ToHostInput): void;
  subscribe(listener: (message: unknown) => void): () => void;
  /**
   * Connection changes of transports that can lose their link (the harness WebSocket):
   * false when it dropped (jobs it carried will never answer), true when it is back.
   */
  onConnection?(listener: (connected: boolean) => void): () => void;
}

export interface StudioServices {
  transportName: 'electron' | 'websocket';
  inference: InferenceTransport;
}

let services: StudioServices | undefined;

/** One connection per page: every caller shares it (a second socket would double every message). */
export function connectServices(): StudioServices {
  services ??= open();
  return services;
}

function open(): StudioServices {
  const api = (window as unknown as { studio?: StudioApi }).studio;
  if (api) return { transportName: 'electron', inference: api.inference };
  return { transportName: 'websocket', inference: websocketTransport(new URL('/ws', location.href)) };
}

/**
 * The project-file channels: the preload's in Electron, the harness's HTTP ones in a browser,
 * or null where neither exists (the editor then downloads and uploads files instead).
 */
export async function connectProjects(): Promise<ProjectsApi | null> {
  const api = (window as unknown as { studio?: StudioApi }).studio;
  if (api) {
    const projects = api.projects;
    return projects ? validatedProjects((channel, args) => projects.call(channel, args as never)) : null;
  }
  return harnessProjects(new URL('/', location.href));
}

/**
 * Projects the OS asks the app to open (a double-clicked .4mproj); a no-op in the browser harness.
 * Returns unsubscribe.
 */
export function onOpenProjectRequest(listener: (path: string) => void): () => void {
  return (window as unknown as { studio?: StudioApi }).studio?.onOpenProject?.(listener) ?? (() => undefined);
}

/**
 * Tells Electron main whether closing the window would lose unsaved changes or a generated result
 * waiting for Accept (main asks first). A no-op in the browser harness, where the tab's own close
 * is not the app's to guard.
 */
export function reportUnsaved(state: UnsavedState): void {
  // Cut to the contract's length: main ignores a state it cannot parse, and would then not ask.
  (window as unknown as { studio?: StudioApi }).studio?.setUnsaved?.({ ...state, name: state.name.slice(0, MAX_UNSAVED_NAME) });
}

/**
 * Messages sent before the socket opens are queued. A dropped socket reconnects every second;
 * each drop is reported (onConnection(false)) so clients fail the jobs it carried, and what was
 * queued is dropped with them: those jobs were failed already and must not run later.
 */
function websocketTransport(url: URL): InferenceTransport {
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const listeners = new Set<(message: unknown) => void>();
  const connection = new Set<(connected: boolean) => void>();
  const queue: string[] = [];
  let socket: WebSocket | undefined;

  const open = (): void => {
    const ws = new WebSocket(url);
    ws.onopen = () => {
      socket = ws;
      connection.forEach((listener) => listener(true));
      queue.splice(0).forEach((text) => ws.send(text));
    };
    ws.onmessage = (event) => {
      let data: unknown;
      try {
        data = JSON.parse(String(event.data));
      } catch {
        data = { type: 'malformed', text: String(event.data).slice(0, 200) };
      }
      listeners.forEach((listener) => listener(data));
    };
    ws.onclose = () => {
      socket = undefined;
      queue.length = 0;
      connection.forEach((listener) => listener(false));
      setTimeout(open, 1000);
    };
  };
  open();

  return {
    send(message) {
      const text = JSON.stringify(message);
      if (socket?.readyState === WebSocket.OPEN) socket.send(text);
      else queue.push(text);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onConnection(listener) {
      connection.add(listener);
      return () => connection.delete(listener);
    },
  };
}
