import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { FromHost, type ToHost } from '../../preload/contract/jobs';
import { parseClientMessage } from './client-message';
import type { ModelFolder } from '../../models/registry/folders';
import { HostSupervisor } from '../inference/supervisor';
import { ProjectService } from '../project/project-service';
import { DirectoryDialogs } from './dir-dialogs';
import { JobRouter } from './job-router';
import { NodeHostProcess } from './node-host';
import { isOwnHost, upgradeAllowed } from './origin';
import { PROJECT_API_PREFIX, projectApi } from './project-api';
import { MODELS_API_PREFIX, modelsApi } from './models-api';
import type { ModelService } from '../models/model-service';
import { staticHandler } from './static';

export interface HarnessOptions {
  /** Built renderer (out/renderer). */
  rendererDir: string;
  /** Built inference host entry (out/main/inference-host.js). */
  hostEntry: string;
  /** Where the host's model registry looks (lookup order), and which model it opens (default: the registry's). */
  modelFolders: readonly ModelFolder[];
  modelId?: string;
  /** Where the artist's model choice is remembered across restarts (HostConfig.activeModelFile). */
  activeModelFile?: string;
  /**
   * Tests only: a host fixture module (test/fixtures/host/*.mjs) that replaces the model, e.g. the
   * slow, killable job of the supervision tests. Never set by the product.
   */
  hostFixture?: string;
  /** 0 picks a free port. */
  port?: number;
  /**
   * Serve the project-file channels: Save As and Open work in `projectDir` (the harness's
   * stand-in for native dialogs), the recent list and autosave live in `stateDir`. Without
   * it the renderer falls back to browser download/upload and IndexedDB.
   */
  projects?: { projectDir: string; stateDir: string };
  /** The model manager panel's channels (/api/models), served as Electron main serves them. */
  models?: ModelService;
}

export interface Harness {
  url: string;
  supervisor: HostSupervisor<NodeHostProcess>;
  /** Present with `projects`: tests queue the project the next Open "picks". */
  dialogs?: DirectoryDialogs;
  close(): Promise<void>;
}

/**
 * The browser harness: serves the built renderer on loopback and carries the renderer <-> host
 * contract over a WebSocket at /ws. Only this harness's own pages may connect (checked before
 * the upgrade); each socket sees only its own jobs (JobRouter); only what the contract's schema
 * parsed reaches the host; nothing a page sends can throw out of a handler.
 */
export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const router = new JobRouter();
  let lastReady: FromHost | undefined;
  let port = 0;

  const supervisor = new HostSupervisor<NodeHostProcess>({
    spawn: () => {
      const host = new NodeHostProcess(options.hostEntry, {
        modelFolders: [...options.modelFolders],
        ...(options.modelId ? { modelId: options.modelId } : {}),
        ...(options.activeModelFile ? { activeModelFile: options.activeModelFile } : {}),
        ...(options.hostFixture ? { fixture: options.hostFixture } : {}),
      });
      process.stderr.write(`harness: inference host started (pid ${host.pid ?? '?'})\n`);
      host.onMessage((data) => {
        // The host validated what it sent; check again so one bad message cannot break routing.
        const parsed = FromHost.safeParse(data);
        if (!parsed.success) {
          process.stderr.write(`harness: dropped a malformed host message: ${parsed.error.issues[0]?.message ?? ''}\n`);
          return;
        }
        if (parsed.data.type === 'ready') lastReady = parsed.data;
        router.fromHost(parsed.data);
      });
      return host;
    },
    onExit: (reason, restarting) => {
      lastReady = undefined;
      process.stderr.write(`harness: ${reason}${restarting ? '; restarting it' : ''}\n`);
      router.hostExited({ type: 'host-exited', reason, restarting });
    },
  });
  supervisor.start();

  const dialogs = options.projects ? new DirectoryDialogs(resolve(options.projects.projectDir)) : undefined;
  const service = options.projects
    ? await ProjectService.create({ stateDir: options.projects.stateDir, autosaveDir: join(options.projects.stateDir, 'autosave') })
    : undefined;
  const files = projectApi(service, dialogs, () => `http://127.0.0.1:${port}`);
  const models = options.models ? modelsApi(options.models, () => `http://127.0.0.1:${port}`) : undefined;
  const serveStatic = staticHandler(resolve(options.rendererDir));
  const server = createServer((req, res) => {
    // Only requests addressed to this harness by name (no DNS rebinding).
    if (!isOwnHost(req.headers.host, port)) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden');
      return;
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const handler = path === PROJECT_API_PREFIX || path.startsWith(`${PROJECT_API_PREFIX}/`)
      ? files
      : path.startsWith(`${MODELS_API_PREFIX}/`) && models
        ? models
        : serveStatic;
    handler(req, res).catch((error: unknown) => {
      process.stderr.write(`harness: ${req.method ?? '?'} ${path.slice(0, 200)} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  const sockets = new Set<WebSocket>();
  // noServer: the origin is checked before the upgrade, so a refused page never gets a socket.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  wss.on('error', (error) => process.stderr.write(`harness: websocket server error: ${error.message}\n`));
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const check = upgradeAllowed(req.url, req.headers, port);
    if (!check.ok) {
      socket.end(`HTTP/1.1 ${check.status} ${check.reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws));
  });

  function serveSocket(ws: WebSocket): void {
    sockets.add(ws);
    const send = (message: FromHost, droppable: boolean): void => {
      if (ws.readyState !== ws.OPEN) return;
      // A page that does not read its socket must not grow our memory without bound.
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        process.stderr.write('harness: closing a socket that stopped reading\n');
        ws.terminate();
        return;
      }
      if (droppable && ws.bufferedAmount > DROP_PROGRESS_ABOVE_BYTES) return;
      ws.send(JSON.stringify(message));
    };
    const connection = router.connect(send);
    if (lastReady) send(lastReady, false);
    // Protocol errors (reserved opcodes, oversized frames) arrive here; ws then closes the socket.
    ws.on('error', (error) => process.stderr.write(`harness: websocket error: ${error.message}\n`));
    ws.on('message', (raw, isBinary) => {
      const message = parseClientMessage(isBinary ? undefined : rawText(raw));
      if (!message.ok) {
        if (message.reply) send(message.reply, false);
        return;
      }
      // Only what the schema parsed goes on: never the client's own object graph.
      const toHost = router.fromClient(connection, message.value);
      if (toHost) sendToHost(toHost);
    });
    ws.on('close', () => {
      sockets.delete(ws);
      for (const cancel of router.disconnect(connection)) sendToHost(cancel);
    });
  }

  function sendToHost(message: ToHost): void {
    try {
      supervisor.current?.send(message);
    } catch (error) {
      process.stderr.write(`harness: could not send to the host: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }

  await new Promise<void>((done) => server.listen(options.port ?? 0, '127.0.0.1', done));
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;

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

/** Largest WebSocket message accepted (a generate job with its input rasters fits easily). */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** Progress messages are dropped for a socket this far behind; results never are. */
const DROP_PROGRESS_ABOVE_BYTES = 8 * 1024 * 1024;
/** A socket this far behind is closed. */
const MAX_BUFFERED_BYTES = 256 * 1024 * 1024;

function rawText(raw: RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return Buffer.from(raw as ArrayBuffer).toString('utf8');
}
