import type { IncomingHttpHeaders } from 'node:http';

/**
 * Who may talk to the harness: only pages it served itself, i.e. the exact origins
 * `http://127.0.0.1:<port>` and `http://localhost:<port>` of this harness. Another local
 * server's page (any other port) is a different origin and is refused.
 */
export function ownOrigins(port: number): readonly string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

export function isOwnOrigin(origin: string | undefined, port: number): boolean {
  return origin !== undefined && ownOrigins(port).includes(origin);
}

/**
 * The Host header must name this harness too: a DNS-rebinding page (evil.example resolving
 * to 127.0.0.1) reaches our port under its own host name.
 */
export function isOwnHost(host: string | undefined, port: number): boolean {
  return host !== undefined && (host === `127.0.0.1:${port}` || host === `localhost:${port}`);
}

/** Checked before a WebSocket upgrade: own host, own origin, the one socket path. */
export function upgradeAllowed(path: string | undefined, headers: IncomingHttpHeaders, port: number): { ok: true } | { ok: false; status: number; reason: string } {
  if ((path ?? '').split('?')[0] !== '/ws') return { ok: false, status: 404, reason: 'not found' };
  if (!isOwnHost(headers.host, port)) return { ok: false, status: 403, reason: 'host not allowed' };
  if (!isOwnOrigin(headers.origin, port)) return { ok: false, status: 403, reason: 'origin not allowed' };
  return { ok: true };
}
