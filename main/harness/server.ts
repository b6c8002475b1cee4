import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FromHost } from '../../preload/contract/jobs';
import { HostSupervisor } from '../inference/supervisor';
import { ProjectService } from '../project/project-service';
import { DirectoryDialogs } from './dir-dialogs';
import { NodeHostProcess } from './node-host';
import { PROJECT_API_PREFIX, projectApi } from './project-api';
import { staticHandler } from './static';

export interface HarnessOptions {
  /** Built renderer (out/renderer). */
  rendererDir: string;
  /** Built inference host entry (out/main/inference-host.js). */
  hostEntry: string;
  modelPath: string;
  /** 0 picks a free port. */
  port?: number;
  /**
   * Serve the project-file channels: Save As and Open work in `projectDir` (the harness's
   * stand-in for native dialogs), the recent list and autosave live in `stateDir`. Without
   * it the renderer falls back to browser download/upload and IndexedDB.
   */
  projects?: { projectDir: string; stateDir: string };
}

export interface Harness {
  url: string;
  supervisor: HostSupervisor<NodeHostProcess>;
  /** Present with `projects`: tests queue the project the next Open "picks". */
  dialogs?: DirectoryDialogs;
  close(): Promise<void>;
}

/**
 * The browser harness: serves the built renderer on loopback and carries the
 * renderer <-> host contract over a WebSocket at /ws. The host validates what
 * the page sends; the page validates what the host sends; this only relays.
 */
export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const sockets = new Set<WebSocket>();
  let lastReady: FromHost | undefined;
  const broadcast = (message: unknown): void => {
    const text = JSON.stringify(message);
    for (const ws of sockets) ws.send(text);
  };

  const supervisor = new HostSupervisor<NodeHostProcess>({
    spawn: () => {
      const host = new NodeHostProcess(options.hostEntry, options.modelPath);
      process.stderr.write(`harness: inference host started (pid ${host.pid ?? '?'})\n`);
      host.onMessage((data) => {
        if (isReady(data)) lastReady = data;
        broadcast(data);
      });
      return host;
    },
    onExit: (reason, restarting) => {
      lastReady = undefined;
      process.stderr.write(`harness: ${reason}${restarting ? '; restarting it' : ''}\n`);
      broadcast({ type: 'host-exited', reason, restarting } satisfies FromHost);
    },
  });
  supervisor.start();

  const dialogs = options.projects ? new DirectoryDialogs(resolve(options.projects.projectDir)) : undefined;
  const service = options.projects
    ? await ProjectService.create({ stateDir: options.projects.stateDir, autosaveDir: join(options.projects.stateDir, 'autosave') })
    : undefined;
  let url = '';
  const files = projectApi(service, dialogs, () => url.replace(/\/$/, ''));
  const serveStatic = staticHandler(resolve(options.rendererDir));
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === PROJECT_API_PREFIX || path.startsWith(`${PROJECT_API_PREFIX}/`)) void files(req, res);
    else void serveStatic(req, res);
  });
  const wss = new WebSocketServer({ server, path: '/ws', maxPayload: 64 * 1024 * 1024 });
  wss.on('connection', (ws, req) => {
    // Loopback only, and only pages we served: refuse other origins.
    const origin = req.headers.origin ?? '';
    if (!/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(origin)) {
      ws.close(1008, 'origin not allowed');
      return;
    }
    sockets.add(ws);
    if (lastReady) ws.send(JSON.stringify(lastReady));
    ws.on('message', (raw) => {
      let data: unknown;
      try {
        data = JSON.parse(String(raw));
      } catch {
        return; // not JSON: nothing the host could answer to
      }
      supervisor.current?.send(data);
    });
    ws.on('close', () => sockets.delete(ws));
  });

  await new Promise<void>((done) => server.listen(options.port ?? 0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}/`;

  return {
    url,
    supervisor,
    ...(dialogs ? { dialogs } : {}),
    close: async () => {
      supervisor.stop();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

function isReady(data: unknown): data is FromHost {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'ready';
}
