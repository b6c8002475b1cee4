import type { IncomingMessage, ServerResponse } from 'node:http';
import { dispatchModelCall } from '../models/dispatch';
import type { ModelService } from '../models/model-service';
import { decodePath } from '../security/url-path';
import { readBody, reply } from './project-api';

export const MODELS_API_PREFIX = '/api/models';
/** Model requests are small (an id, a path): anything bigger is refused unread. */
const MAX_BODY = 64 * 1024;

/**
 * The model manager's channels over loopback HTTP, as Electron's IPC serves them:
 * POST /api/models/<channel> with the request as JSON; the answer is the contract's result.
 * Same-origin pages only (a JSON content type needs a CORS preflight, never granted).
 */
export function modelsApi(service: ModelService, origin: () => string) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const allowed = [origin(), origin().replace('127.0.0.1', 'localhost')];
    if (req.method !== 'POST' || !allowed.includes(req.headers.origin ?? '') || !req.headers['content-type']?.startsWith('application/json')) {
      return reply(res, 403, JSON.stringify({ error: 'forbidden' }));
    }
    let args: unknown;
    try {
      args = JSON.parse(await readBody(req, MAX_BODY));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return reply(res, 200, JSON.stringify({ ok: false, error: { code: 'invalid-request', message: `not a valid request: ${message.slice(0, 200)}` } }));
    }
    const channel = decodePath(url.pathname.slice(MODELS_API_PREFIX.length + 1));
    if (channel === undefined) return reply(res, 400, JSON.stringify({ error: 'malformed path' }));
    reply(res, 200, JSON.stringify(await dispatchModelCall(service, channel, args)));
  };
}
