import { extname, join, normalize, sep } from 'node:path';
import { decodePath } from './url-path';
import { APP_HOST, APP_SCHEME } from './app-origin';
import { CONTENT_TYPES } from './content-types';

export type AppAsset = { ok: true; path: string; type: string } | { ok: false; status: number };

/**
 * app://studio/<path> → a file inside the built renderer folder, or the status to answer.
 * Refuses other hosts, malformed escapes and anything that would leave `rendererDir`.
 */
export function resolveAppAsset(requestUrl: string, rendererDir: string): AppAsset {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400 };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return { ok: false, status: 404 };
  const rel = url.pathname === '/' ? 'index.html' : decodePath(url.pathname.slice(1));
  if (rel === undefined || rel.includes('\0')) return { ok: false, status: 400 };
  const root = normalize(rendererDir);
  const path = normalize(join(root, rel));
  if (!path.startsWith(root.endsWith(sep) ? root : root + sep)) return { ok: false, status: 403 };
  return { ok: true, path, type: CONTENT_TYPES[extname(path)] ?? 'application/octet-stream' };
}
