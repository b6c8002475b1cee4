import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_PROJECT_BYTES } from '../../preload/contract/projects';
import { fromWireJson, toWireJson } from '../../preload/contract/wire';
import { dispatchProjectCall } from '../project/dispatch';
import { decodePath } from '../security/url-path';
import type { FileDialogs, ProjectService } from '../project/project-service';

export const PROJECT_API_PREFIX = '/api/projects';
/** Base64 is 4/3 of the bytes; leave room for the JSON around them. */
const MAX_BODY = Math.ceil((MAX_PROJECT_BYTES * 4) / 3) + 64 * 1024;

/**
 * The project channels over loopback HTTP: POST /api/projects/<channel> with the request as
 * wire JSON; the answer is the same FileResult Electron's IPC returns. GET /api/projects says
 * whether this harness serves files at all (the renderer falls back to download/upload if not).
 * Only pages from this harness's own origin may call it: with a JSON content type a foreign
 * page's request needs a CORS preflight, which is never granted.
 */
export function projectApi(service: ProjectService | undefined, dialogs: FileDialogs | undefined, origin: () => string) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === PROJECT_API_PREFIX) {
      return reply(res, 200, JSON.stringify({ available: service !== undefined }));
    }
    const allowed = [origin(), origin().replace('127.0.0.1', 'localhost')];
    if (req.method !== 'POST' || !allowed.includes(req.headers.origin ?? '') || !req.headers['content-type']?.startsWith('application/json')) {
      return reply(res, 403, JSON.stringify({ error: 'forbidden' }));
    }
    if (!service || !dialogs) return reply(res, 404, JSON.stringify({ error: 'this harness was started without a project folder' }));
    let args: unknown;
    try {
      args = fromWireJson(await readBody(req));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return reply(res, 200, JSON.stringify({ ok: false, error: { code: 'invalid-request', message } }));
    }
    const channel = decodePath(url.pathname.slice(PROJECT_API_PREFIX.length + 1));
    if (channel === undefined) return reply(res, 400, JSON.stringify({ error: 'malformed path' }));
    reply(res, 200, toWireJson(await dispatchProjectCall(service, dialogs, channel, args)));
  };
}

export function reply(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(body);
}

export function readBody(req: IncomingMessage, max = MAX_BODY): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > max) {
        reject(new Error(`request is larger than ${max} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
