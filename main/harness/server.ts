import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FromHost } from '../../preload/contract/jobs';
import { HostSupervisor } from '../inference/supervisor';
import { NodeHostProcess } from './node-host';
import { staticHandler } from './static';

export interface HarnessOptions {
  /** Built renderer (out/renderer). */
  rendererDir: string;
  /** Built inference host entry (out/main/inference-host.js). */
  hostEntry: string;
  modelPath: string;
  /** 0 picks a free port. */
  port?: number;
}

export interface Harness {
  url: string;
  supervisor: HostSupervisor<NodeHostProcess>;
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

  const server = createServer((req, res) => void staticHandler(resolve(options.rendererDir))(req, res));
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

  return {
    url: `http://127.0.0.1:${port}/`,
    supervisor,
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
