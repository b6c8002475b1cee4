/**
 * JSON for the harness's HTTP transport of the project channels: Uint8Array values travel as
 * { "$bytes": "<base64>" }, so the contract's schemas (which expect Uint8Array, as Electron IPC
 * delivers) validate both transports unchanged. btoa/atob exist in browsers and Node >= 16.
 */
const KEY = '$bytes';
const CHUNK = 0x8000;

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.byteLength; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

export function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function toWireJson(value: unknown): string {
  // The holder's own value, not `v`: a Node Buffer's toJSON() has already run on `v`.
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    return raw instanceof Uint8Array ? { [KEY]: bytesToBase64(raw) } : v;
  });
}

/**
 * Throws on malformed JSON or base64, with a message that says which (the bare errors are
 * "Invalid character" and "Maximum call stack size exceeded"); callers answer with 'invalid-request'.
 */
export function fromWireJson(text: string): unknown {
  try {
    return JSON.parse(text, (key, v: unknown) => {
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        const keys = Object.keys(v);
        const b = (v as Record<string, unknown>)[KEY];
        if (keys.length === 1 && typeof b === 'string') {
          try {
            return base64ToBytes(b);
          } catch {
            throw new WireError(`"${key.slice(0, 100)}": its "${KEY}" value is not base64 text`);
          }
        }
      }
      return v;
    });
  } catch (error) {
    if (error instanceof WireError) throw error;
    if (error instanceof RangeError) throw new WireError('the request is nested too deeply to read');
    throw new WireError(`not valid JSON (${error instanceof Error ? error.message.slice(0, 200) : String(error)})`);
  }
}

class WireError extends Error {
  override name = 'WireError';
}
