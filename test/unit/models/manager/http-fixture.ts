/**
 * A local HTTP server (node:http) serving real files from a folder in the Hugging Face
 * layout (`/<owner>/<name>/resolve/main/<path>`), with switchable misbehaviour per
 * request, for download tests. Every request is recorded.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export type Fault =
  | 'none'
  | 'ignore-ranges'
  /** Send this many bytes, then destroy the socket. */
  | { interruptAfter: number }
  /** Declare the full length but end the body after this many bytes (clean close). */
  | { truncateAt: number }
  /** Send 200 with a Content-Length of only this many bytes. */
  | { shortAt: number }
  /** Flip one byte at this offset of the file. */
  | { corruptAt: number }
  /** Send this many bytes, then nothing (the connection stays open). */
  | { stallAfter: number }
  /** Send in chunks of this size with a pause between them. */
  | { throttle: number; delayMs: number }
  | { status: number };

export interface RecordedRequest {
  readonly url: string;
  readonly range: string | undefined;
}

export interface FileServer {
  readonly base: string;
  readonly requests: RecordedRequest[];
  /** Faults applied to successive requests of a path (then 'none'); or a function for every request. */
  faults: Map<string, Fault[]>;
  /** Redirect `resolve` URLs to `/cdn/...` with an X-Linked-Etag, as the hub does for LFS files. */
  redirectWithSha: Map<string, string>;
  close(): Promise<void>;
}

export async function startFileServer(root: string): Promise<FileServer> {
  const requests: RecordedRequest[] = [];
  const faults = new Map<string, Fault[]>();
  const redirectWithSha = new Map<string, string>();
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = decodeURIComponent((req.url ?? '/').split('?')[0] as string);
    requests.push({ url, range: req.headers.range });
    const m = /^\/(?:cdn\/)?([^/]+\/[^/]+)\/resolve\/main\/(.+)$/.exec(url);
    if (!m) return void res.writeHead(404).end();
    const rel = `${m[1]}/${m[2]}`;
    if (!url.startsWith('/cdn/') && redirectWithSha.has(rel)) {
      res.writeHead(302, { location: `/cdn${url}`, 'x-linked-etag': `"${redirectWithSha.get(rel)}"` });
      return void res.end();
    }
    const file = join(root, rel);
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      return void res.writeHead(404, 'Not Found').end();
    }
    const queue = faults.get(rel);
    const fault: Fault = queue && queue.length > 0 ? (queue.shift() as Fault) : 'none';
    if (typeof fault === 'object' && 'status' in fault) return void res.writeHead(fault.status).end();
    let start = 0;
    const r = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (r && fault !== 'ignore-ranges') {
      start = Number(r[1]);
      if (start >= size) return void res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
      res.writeHead(206, { 'content-range': `bytes ${start}-${size - 1}/${size}`, 'content-length': String(size - start), 'accept-ranges': 'bytes' });
    } else if (typeof fault === 'object' && 'shortAt' in fault) {
      res.writeHead(200, { 'content-length': String(fault.shortAt) });
      return void res.end(readFileSync(file).subarray(0, fault.shortAt));
    } else {
      res.writeHead(200, { 'content-length': String(size), 'accept-ranges': 'bytes' });
    }
    if (typeof fault === 'object' && 'corruptAt' in fault) {
      const bytes = Buffer.from(readFileSync(file).subarray(start));
      const i = fault.corruptAt - start;
      if (i >= 0 && i < bytes.length) bytes[i] = (bytes[i] as number) ^ 0xff;
      return void res.end(bytes);
    }
    if (typeof fault === 'object' && ('interruptAfter' in fault || 'truncateAt' in fault || 'stallAfter' in fault)) {
      const cut = 'interruptAfter' in fault ? fault.interruptAfter : 'truncateAt' in fault ? fault.truncateAt : fault.stallAfter;
      const bytes = readFileSync(file).subarray(start, Math.max(start, cut));
      res.write(bytes, () => {
        if ('interruptAfter' in fault) res.socket?.destroy();
        else if ('truncateAt' in fault) res.socket?.end();
        else hanging.add(res);
      });
      return;
    }
    if (typeof fault === 'object' && 'throttle' in fault) {
      const bytes = readFileSync(file).subarray(start);
      let at = 0;
      const tick = (): void => {
        if (res.destroyed) return;
        if (at >= bytes.length) return void res.end();
        res.write(bytes.subarray(at, at + fault.throttle));
        at += fault.throttle;
        setTimeout(tick, fault.delayMs);
      };
      return tick();
    }
    createReadStream(file, { start }).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    faults,
    redirectWithSha,
    close: () =>
      new Promise<void>((ok) => {
        for (const h of hanging) h.destroy();
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
