import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { slowReliefFixture } from './browser';
import { startBuiltHarness, type BuiltHarness } from './built-harness';
import { frame, openSocket, rawExchange, reliefJob, upgradeRequest } from './hostile-client';

/**
 * Hostile input against the BUILT harness (`node out/main/harness.js`, what `npm run web`
 * runs): whatever a page, another local page or a socket sends, the process stays up, answers
 * what it can, and no socket sees another's jobs (issue #12). The host runs the test fixture
 * (test/fixtures/host/slow-relief.mjs), whose jobs are short and paced.
 */

let harness: BuiltHarness;
let own: string;

beforeAll(async () => {
  harness = await startBuiltHarness({ env: { STUDIO_TEST_HOST_FIXTURE: slowReliefFixture } });
  own = harness.url.replace(/\/$/, '');
});

afterAll(() => harness?.close());

async function stillServing(): Promise<void> {
  expect(harness.alive()).toBe(true);
  expect((await fetch(harness.url)).status).toBe(200);
  const probe = await openSocket(harness.url);
  probe.send(reliefJob('probe', 1));
  await probe.next((m) => m.type === 'generation-result' && m.id === 'probe');
  await probe.close();
}

describe('crashes', () => {
  test('a client message of 32 bytes or more (masked) is read, not fatal', async () => {
    const client = await openSocket(harness.url);
    client.send({ type: 'cancel', id: 'x'.repeat(64) });
    client.send({ type: 'job', id: 'big', request: { kind: 'nope', pad: 'y'.repeat(100_000) } });
    const reply = await client.next<{ error: { kind: string } }>((m) => m.id === 'big');
    expect(reply.error.kind).toBe('invalid-request');
    await client.close();
    await stillServing();
  });

  test('malformed %-escapes in a path are a 400, for pages and for the project API', async () => {
    for (const path of ['%', '%zz', 'assets/%E0%A4%A', '%00']) expect((await fetch(`${harness.url}${path}`)).status).toBe(400);
    const api = await fetch(`${harness.url}api/projects/%`, { method: 'POST', headers: { origin: own, 'content-type': 'application/json' }, body: '{}' });
    expect(api.status).toBe(400);
    await stillServing();
  });

  test('WebSocket protocol errors (reserved opcode, a frame larger than the limit) close that socket only', async () => {
    const handshake = upgradeRequest(harness.port, { Origin: own });
    const reserved = await rawExchange(harness.port, Buffer.concat([Buffer.from(handshake), frame(0x3, Buffer.from('hello'))]));
    expect(reserved).toMatch(/^HTTP\/1\.1 101/);
    const huge = await rawExchange(harness.port, Buffer.concat([Buffer.from(handshake), frame(0x1, Buffer.from('{}'), 1n << 40n)]));
    expect(huge).toMatch(/^HTTP\/1\.1 101/);
    const reservedBits = Buffer.concat([Buffer.from(handshake), Buffer.from([0xf1, 0x80, 1, 2, 3, 4])]);
    expect(await rawExchange(harness.port, reservedBits)).toMatch(/^HTTP\/1\.1 101/);
    await stillServing();
  });

  test('a deeply nested JSON message is answered as invalid; nothing of it reaches the host', async () => {
    const client = await openSocket(harness.url);
    const deep = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;
    client.send(`{"type":"job","id":"deep","request":${deep(6_000)}}`);
    client.send(`{"type":"job","id":"deeper","request":{"kind":"generate","x":${deep(200_000)}}}`);
    // Unknown keys are stripped by the schema: a valid message with a nested extra still works.
    client.send(`{"type":"job","id":"extra","extra":${deep(6_000)},"request":${JSON.stringify((reliefJob('_', 1) as { request: unknown }).request)}}`);
    expect((await client.next<{ error: { kind: string } }>((m) => m.id === 'deep')).error.kind).toBe('invalid-request');
    expect((await client.next<{ error: { kind: string } }>((m) => m.id === 'deeper')).error.kind).toBe('invalid-request');
    expect((await client.next((m) => m.id === 'extra' && m.type === 'generation-result')).type).toBe('generation-result');
    await client.close();
    await stillServing();
  });
});

describe('isolation', () => {
  test('only this harness\'s exact origin gets a socket, and it is refused before the upgrade', async () => {
    const otherPort = harness.port === 5999 ? 5998 : 5999;
    for (const headers of [{} as Record<string, string>, { Origin: 'http://evil.example' }, { Origin: `http://localhost:${otherPort}` }, { Origin: `http://127.0.0.1:${otherPort}` }, { Origin: 'null' }]) {
      const answer = await rawExchange(harness.port, upgradeRequest(harness.port, headers), 1_000);
      expect(answer, JSON.stringify(headers)).toMatch(/^HTTP\/1\.1 403/);
    }
    // A rebinding page: right origin string for its own name, wrong Host.
    const rebound = upgradeRequest(harness.port, { Origin: `http://evil.example:${harness.port}` }).replace(/Host: [^\r]+/, `Host: evil.example:${harness.port}`);
    expect(await rawExchange(harness.port, rebound, 1_000)).toMatch(/^HTTP\/1\.1 403/);
    expect(await rawExchange(harness.port, `GET / HTTP/1.1\r\nHost: evil.example:${harness.port}\r\nConnection: close\r\n\r\n`, 1_000)).toMatch(/^HTTP\/1\.1 403/);
    // The page's own origin, under either loopback name, is accepted.
    await (await openSocket(harness.url, own)).close();
    await (await openSocket(harness.url.replace('127.0.0.1', 'localhost'), own.replace('127.0.0.1', 'localhost'))).close();
    await stillServing();
  });

  test('two sockets see only their own jobs and cannot cancel each other\'s', async () => {
    const a = await openSocket(harness.url);
    const b = await openSocket(harness.url);
    a.send(reliefJob('shared-id', 6));
    b.send({ type: 'cancel', id: 'shared-id' }); // B guesses A's id: must not touch A's job
    const result = await a.next<{ type: string }>((m) => m.id === 'shared-id' && (m.type === 'generation-result' || m.type === 'error'));
    expect(result.type).toBe('generation-result');
    b.send(reliefJob('shared-id', 1));
    await b.next((m) => m.id === 'shared-id' && m.type === 'generation-result');
    expect(a.messages.filter((m) => m.id === 'shared-id' && m.type === 'generation-result')).toHaveLength(1);
    expect(b.messages.filter((m) => m.id === 'shared-id' && m.type === 'generation-progress').every((m) => m.total === 1)).toBe(true);
    await a.close();
    await b.close();
  });
});

/** A 'generate' job on the shipped model: caption → RGB. */
function generateJob(id: string, steps: number, variations: number, modalities: readonly string[] = ['tok_rgb@128']): unknown {
  const targets = modalities.map((modality) => ({ modality, scheme: 'maskgit', steps, tokenSchedule: 'cosine', temperature: 1, temperatureSchedule: 'constant', cfgScale: 1, topK: 0, topP: 0 }));
  return {
    type: 'job',
    id,
    request: {
      kind: 'generate',
      request: { version: 1, modelId: 'world-4m-small', seed: 1, inputs: { caption: { kind: 'text', text: 'a red cube' } }, targets, cfgGrowConditioning: false, variations },
    },
  };
}

describe('job bounds (the shipped 4M model)', () => {
  let real: BuiltHarness;
  beforeAll(async () => {
    real = await startBuiltHarness({ files: false });
  });
  afterAll(() => real?.close());

  test('steps and variations beyond the contract\'s bounds are refused before any work', async () => {
    const client = await openSocket(real.url);
    client.send(generateJob('too-many-steps', 4096, 1));
    client.send(generateJob('too-many-variations', 8, 64));
    const steps = await client.next<{ error: { kind: string; message: string } }>((m) => m.id === 'too-many-steps');
    const variations = await client.next<{ error: { kind: string; message: string } }>((m) => m.id === 'too-many-variations');
    expect(steps.error).toMatchObject({ kind: 'invalid-request', message: expect.stringMatching(/steps/) });
    expect(variations.error).toMatchObject({ kind: 'invalid-request', message: expect.stringMatching(/variations/) });
    await client.close();
  });

  test('modality names and pixel refs that every JavaScript object answers to are refused naming the field (were "Cannot read properties of undefined" from the planner)', async () => {
    const client = await openSocket(real.url);
    const job = generateJob('ctor', 2, 1, ['constructor']) as { request: { request: Record<string, unknown>; images?: unknown } };
    client.send(job);
    const pixels = generateJob('ref', 2, 1) as { request: { request: { inputs: Record<string, unknown> } } };
    pixels.request.request.inputs['tok_semseg@128'] = { kind: 'image-pixels', ref: 'toString' };
    client.send(pixels);
    const ctor = await client.next<{ error: { kind: string; message: string } }>((m) => m.id === 'ctor');
    const ref = await client.next<{ error: { kind: string; message: string } }>((m) => m.id === 'ref');
    expect(ctor.error).toMatchObject({ kind: 'invalid-request', message: expect.stringMatching(/targets\.0\.modality: "constructor" is a reserved name/) });
    expect(ref.error).toMatchObject({ kind: 'invalid-request', message: expect.stringMatching(/inputs\.tok_semseg@128\.ref: "toString" is a reserved name/) });
    // A "__proto__" input is dropped by the parser, never merged into anything: the job runs on the caption.
    client.send(JSON.stringify(generateJob('proto', 1, 1)).replace('"inputs":{', '"inputs":{"__proto__":{"kind":"text","text":"x"},'));
    expect((await client.next((m) => m.id === 'proto' && (m.type === 'generation-result' || m.type === 'error'), 120_000)).type).toBe('generation-result');
    await client.close();
    expect(real.alive()).toBe(true);
  }, 180_000);

  // A chain of every image modality: on an idle machine one 1024-step target alone can finish before the
  // cancel arrives (steps that reveal no token are cheap), which would test nothing.
  const imageTargets = ['tok_rgb@128', 'tok_depth@128', 'tok_normal@128', 'tok_semseg@128', 'tok_edge@128'];
  test('the largest job (five image targets × 1024 MaskGIT steps × 16 variations) cancels promptly and sends a bounded stream of progress', async () => {
    const client = await openSocket(real.url);
    client.send(generateJob('largest', 1024, 16, imageTargets));
    await client.next((m) => m.id === 'largest' && m.type === 'generation-progress', 120_000);
    const started = performance.now();
    await new Promise((r) => setTimeout(r, 1_000)); // let it run (and talk) for a while
    client.send({ type: 'cancel', id: 'largest' });
    const end = await client.next<{ type: string; error?: { kind: string } }>((m) => m.id === 'largest' && (m.type === 'error' || m.type === 'generation-result'), 30_000);
    const seconds = (performance.now() - started) / 1000;
    const cancelMs = performance.now() - started - 1_000;
    expect(end.error?.kind).toBe('cancelled');
    expect(cancelMs).toBeLessThan(20_000); // at most one (batched) step after the cancel arrives
    const progress = client.messages.filter((m) => m.id === 'largest' && m.type === 'generation-progress');
    // ≤ 20 plain + 20 preview messages a second, plus each variation's final step.
    expect(progress.length).toBeLessThan(40 * (seconds + 1) + 16);
    console.info(`largest job: ${progress.length} progress messages in ${seconds.toFixed(1)} s; cancel answered in ${cancelMs.toFixed(0)} ms`);
    await client.close();
    expect(real.alive()).toBe(true);
  }, 180_000);
});

describe('state folders', () => {
  test('two harness instances on one project folder never share an autosave folder', async () => {
    const stateHome = mkdtempSync(join(tmpdir(), '4m-e2e-xdg-'));
    const projectDir = mkdtempSync(join(tmpdir(), '4m-e2e-shared-projects-'));
    const env = { STUDIO_STATE_DIR: '', XDG_STATE_HOME: stateHome };
    const a = await startBuiltHarness({ projectDir, env });
    const b = await startBuiltHarness({ projectDir, env });
    try {
      const folder = (h: BuiltHarness): string => /autosave in ([^)]+)\)/.exec(h.output())?.[1] ?? '';
      expect(folder(a).startsWith(join(stateHome, '4m-studio', 'harness'))).toBe(true);
      expect(folder(b).startsWith(join(stateHome, '4m-studio', 'harness'))).toBe(true);
      expect(folder(a)).not.toBe(folder(b));
    } finally {
      await a.close();
      await b.close();
    }
  });
});
