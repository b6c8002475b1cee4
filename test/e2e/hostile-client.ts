import { randomBytes } from 'node:crypto';
import { connect as tcpConnect, type Socket } from 'node:net';
import WebSocket from 'ws';

/** Clients that talk to a running harness the way a page, another local page or an attacker would. */

export interface SocketClient {
  readonly ws: WebSocket;
  /** Every message received, parsed. */
  readonly messages: Array<{ type: string; id?: string; [key: string]: unknown }>;
  send(message: unknown): void;
  /** Resolves with the first message matching `pick` (already received or later). */
  next<T = { type: string }>(pick: (m: { type: string; id?: string; [key: string]: unknown }) => boolean, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

export function openSocket(baseUrl: string, origin = baseUrl.replace(/\/$/, '')): Promise<SocketClient> {
  return new Promise((done, fail) => {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}ws`, { origin });
    const messages: SocketClient['messages'] = [];
    const waiters = new Set<() => void>();
    ws.on('message', (raw) => {
      messages.push(JSON.parse(String(raw)) as SocketClient['messages'][number]);
      waiters.forEach((w) => w());
    });
    ws.once('error', fail);
    ws.once('unexpected-response', (_req, res) => fail(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.once('open', () =>
      done({
        ws,
        messages,
        send: (m) => ws.send(typeof m === 'string' ? m : JSON.stringify(m)),
        next: <T>(pick: (m: SocketClient['messages'][number]) => boolean, timeoutMs = 30_000) =>
          new Promise<T>((found, lost) => {
            const check = (): void => {
              const hit = messages.find(pick);
              if (!hit) return;
              waiters.delete(check);
              clearTimeout(timer);
              found(hit as T);
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              lost(new Error(`no matching message in ${timeoutMs} ms; got ${messages.map((m) => `${m.type}:${m.id ?? ''}`).slice(-10).join(', ')}`));
            }, timeoutMs);
            waiters.add(check);
            check();
          }),
        close: () =>
          new Promise<void>((closed) => {
            if (ws.readyState === WebSocket.CLOSED) return closed();
            ws.once('close', () => closed());
            ws.close();
          }),
      }),
    );
  });
}

/** A raw HTTP exchange: sends `request` verbatim, resolves with what came back before the socket closed. */
export function rawExchange(port: number, request: string | Buffer, waitMs = 2_000): Promise<string> {
  return new Promise((done, fail) => {
    const socket: Socket = tcpConnect(port, '127.0.0.1');
    let got = '';
    socket.on('data', (d) => (got += d.toString('latin1')));
    socket.on('error', (e) => (got ? done(got) : fail(e)));
    socket.on('close', () => done(got));
    socket.on('connect', () => socket.write(request));
    setTimeout(() => {
      socket.destroy();
      done(got);
    }, waitMs);
  });
}

export function upgradeRequest(port: number, headers: Record<string, string> = {}): string {
  const lines = [
    'GET /ws HTTP/1.1',
    `Host: 127.0.0.1:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** A masked client frame with a chosen opcode and a header that may lie about the length. */
export function frame(opcode: number, payload: Buffer, claimedLength?: bigint): Buffer {
  const mask = randomBytes(4);
  const length = claimedLength ?? BigInt(payload.length);
  let header: Buffer;
  if (length < 126n) header = Buffer.from([0x80 | opcode, 0x80 | Number(length)]);
  else if (length < 65536n) {
    header = Buffer.alloc(4);
    header.writeUInt8(0x80 | opcode, 0);
    header.writeUInt8(0x80 | 126, 1);
    header.writeUInt16BE(Number(length), 2);
  } else {
    header = Buffer.alloc(10);
    header.writeUInt8(0x80 | opcode, 0);
    header.writeUInt8(0x80 | 127, 1);
    header.writeBigUInt64BE(length, 2);
  }
  const masked = Buffer.from(payload.map((b, i) => b ^ (mask[i % 4] as number)));
  return Buffer.concat([header, mask, masked]);
}

/** A tiny RGBA raster for the fixture's jobs. */
export function tinyRaster(size = 8): { width: number; height: number; rgba: string } {
  return { width: size, height: size, rgba: Buffer.alloc(size * size * 4, 128).toString('base64') };
}

/**
 * A 'generate' job for the host fixture (test/fixtures/host/slow-relief.mjs): `steps` steps of
 * its relief graph at 100 ms each, answered with generation-progress and generation-result.
 */
export function reliefJob(id: string, steps = 2): unknown {
  const target = { modality: 'tok_rgb@128', scheme: 'roar', steps, tokenSchedule: 'cosine', temperature: 1, temperatureSchedule: 'constant', cfgScale: 1, topK: 0, topP: 0 };
  return {
    type: 'job',
    id,
    request: {
      kind: 'generate',
      request: { version: 1, modelId: 'test-relief', seed: 1, inputs: { 'tok_semseg@128': { kind: 'image-pixels', ref: 'px' } }, targets: [target], cfgGrowConditioning: false },
      images: { px: tinyRaster() },
    },
  };
}
