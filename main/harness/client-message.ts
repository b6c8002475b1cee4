import { ToHost, type FromHost } from '../../preload/contract/jobs';

export type ClientMessage = { ok: true; value: ToHost } | { ok: false; reply?: FromHost };

/**
 * A socket's text → the ToHost message the contract's schema parsed (a fresh object: unknown
 * keys and whatever nesting they held are gone), or the error to answer when the message at
 * least names a job. Binary frames and non-JSON text are ignored.
 */
export function parseClientMessage(text: string | undefined): ClientMessage {
  if (text === undefined) return { ok: false };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false }; // not JSON: nothing we could answer to
  }
  const parsed = ToHost.safeParse(data);
  if (parsed.success) return { ok: true, value: parsed.data };
  const id = typeof data === 'object' && data !== null && 'id' in data ? data.id : undefined;
  if (typeof id !== 'string' || id.length < 1 || id.length > 128) return { ok: false };
  const detail = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`).join('; ');
  return { ok: false, reply: { type: 'error', id, error: { name: 'InvalidRequestError', message: `Invalid renderer -> host message: ${detail}`, kind: 'invalid-request' } } };
}
