import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../security/csp';
import { decodePath } from '../security/url-path';
import { CONTENT_TYPES } from '../security/content-types';

/** Serves the built renderer; refuses anything outside `root`. */
export function staticHandler(root: string) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const rel = url.pathname === '/' ? 'index.html' : decodePath(url.pathname.slice(1));
    if (rel === undefined || rel.includes('\0')) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('malformed path');
      return;
    }
    const path = normalize(join(root, rel));
    if (!path.startsWith(root + sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    try {
      const body = await readFile(path);
      res.writeHead(200, {
        'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  };
}
