import { afterAll, beforeAll, expect, test } from 'vitest';
import WebSocket from 'ws';
import { startBuiltHarness, type BuiltHarness } from './built-harness';

/**
 * Hostile input against the BUILT harness (`node out/main/harness.js`, what `npm run web`
 * runs): whatever a page, a socket or a file sends, the process stays up (issue #12).
 */

let harness: BuiltHarness;

beforeAll(async () => {
  harness = await startBuiltHarness();
});

afterAll(() => harness?.close());

/** A socket as the harness's own page opens it. */
function connect(origin = harness.url.replace(/\/$/, '')): Promise<{ ws: WebSocket; messages: unknown[] }> {
  return new Promise((done, fail) => {
    const ws = new WebSocket(`${harness.url.replace('http', 'ws')}ws`, { origin });
    const messages: unknown[] = [];
    ws.on('message', (raw) => messages.push(JSON.parse(String(raw))));
    ws.once('open', () => done({ ws, messages }));
    ws.once('error', fail);
  });
}

async function stillServing(): Promise<void> {
  expect(harness.alive()).toBe(true);
  const res = await fetch(harness.url);
  expect(res.status).toBe(200);
}

test('a client message of 32 bytes or more (masked) does not take the harness down', async () => {
  const { ws, messages } = await connect();
  ws.send(JSON.stringify({ type: 'cancel', id: 'x'.repeat(64) }));
  ws.send(JSON.stringify({ type: 'job', id: 'big', request: { kind: 'nope', pad: 'y'.repeat(100_000) } }));
  await expect.poll(() => messages.some((m) => (m as { id?: string }).id === 'big'), { timeout: 10_000 }).toBe(true);
  ws.close();
  await stillServing();
});
