import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { slowReliefFixture } from './browser';
import { startBuiltHarness, type BuiltHarness } from './built-harness';
import { openSocket, type SocketClient } from './hostile-client';

/**
 * A bounded soak of the BUILT harness (issue #12): a few hundred small jobs from several sockets
 * at once, with cancels and abrupt reconnects mid-job. Afterwards the harness is alive and
 * answers, its memory is near where it started, and no socket ever saw another's message.
 * The host runs the relief fixture unpaced (a real ONNX graph per step, milliseconds a job), so
 * hundreds of jobs fit in seconds; the real model's bounds are tested in hostile.e2e.ts.
 */

const WORKERS = 4;
const JOBS_PER_WORKER = 125;
const RECONNECT_EVERY = 20;

let harness: BuiltHarness;

beforeAll(async () => {
  harness = await startBuiltHarness({ files: false, env: { STUDIO_TEST_HOST_FIXTURE: slowReliefFixture, STUDIO_TEST_FIXTURE_STEP_MS: '0' } });
});

afterAll(() => harness?.close());

const mib = (bytes: number): number => Math.round(bytes / 2 ** 20);

function rssOf(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;
}

/** Worker `w`'s jobs are recognisable: `w + 1` steps on a (4 + w)² picture, seed `w`. */
function job(w: number, id: string): unknown {
  const size = 4 + w;
  const target = { modality: 'tok_rgb@128', scheme: 'roar', steps: w + 1, tokenSchedule: 'cosine', temperature: 1, temperatureSchedule: 'constant', cfgScale: 1, topK: 0, topP: 0 };
  return {
    type: 'job',
    id,
    request: {
      kind: 'generate',
      request: { version: 1, modelId: 'test-relief', seed: w, inputs: { 'tok_semseg@128': { kind: 'image-pixels', ref: 'px' } }, targets: [target], cfgGrowConditioning: false },
      images: { px: { width: size, height: size, rgba: Buffer.alloc(size * size * 4, 40 * w).toString('base64') } },
    },
  };
}

interface Tally {
  results: number;
  cancelled: number;
  lost: number;
  foreign: string[];
}

async function worker(w: number, tally: Tally): Promise<void> {
  let client: SocketClient | undefined;
  let sentHere = new Set<string>();
  let sinceReconnect = 0;
  const connect = async (): Promise<SocketClient> => {
    const c = await openSocket(harness.url);
    const mine = sentHere;
    c.ws.on('message', (raw) => {
      const m = JSON.parse(String(raw)) as { type: string; id?: string; total?: number; variations?: Array<{ seed: number; outputs: Record<string, { raster?: { width: number } }> }> };
      if (m.id === undefined) return; // ready / host-exited
      const ownProgress = m.type !== 'generation-progress' || m.total === w + 1;
      const result = m.variations?.[0];
      const ownResult = m.type !== 'generation-result' || (result?.seed === w && result.outputs['tok_rgb@128']?.raster?.width === 4 + w);
      if (!mine.has(m.id) || !ownProgress || !ownResult) tally.foreign.push(`worker ${w}: ${m.type} ${m.id}`);
    });
    return c;
  };
  client = await connect();
  for (let n = 0; n < JOBS_PER_WORKER; n++) {
    const id = `job-${n}`; // the same ids in every worker: routing, not luck, keeps them apart
    sentHere.add(id);
    client.send(job(w, id));
    if (n % 3 === 2) client.send({ type: 'cancel', id });
    if (++sinceReconnect === RECONNECT_EVERY) {
      // Drop the socket with this job in flight, as a closed tab or a network blip would.
      client.ws.terminate();
      tally.lost++;
      sentHere = new Set();
      sinceReconnect = 0;
      client = await connect();
      continue;
    }
    const end = await client.next<{ type: string; error?: { kind: string } }>((m) => m.id === id && (m.type === 'generation-result' || m.type === 'error'), 60_000);
    if (end.type === 'generation-result') tally.results++;
    else if (end.error?.kind === 'cancelled') tally.cancelled++;
    else throw new Error(`worker ${w} ${id}: ${JSON.stringify(end)}`);
    client.messages.length = 0;
  }
  await client.close();
}

test(`${WORKERS * JOBS_PER_WORKER} jobs with cancels and reconnects: alive, memory back near its start, no foreign messages`, async () => {
  // Warm up (first sessions, JIT, buffers) before taking the baseline.
  const warm = await openSocket(harness.url);
  for (let i = 0; i < 20; i++) {
    warm.send(job(0, `warm-${i}`));
    await warm.next((m) => m.id === `warm-${i}` && m.type === 'generation-result');
  }
  await warm.close();
  const harnessBefore = harness.rss();
  const hostBefore = rssOf(harness.hostPid());
  const started = performance.now();

  const tally: Tally = { results: 0, cancelled: 0, lost: 0, foreign: [] };
  await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w, tally)));
  const seconds = (performance.now() - started) / 1000;

  expect(tally.foreign).toEqual([]);
  expect(tally.results + tally.cancelled + tally.lost).toBe(WORKERS * JOBS_PER_WORKER);
  expect(tally.lost).toBe(WORKERS * Math.floor(JOBS_PER_WORKER / RECONNECT_EVERY));
  expect(tally.results).toBeGreaterThan(WORKERS * JOBS_PER_WORKER * 0.5);

  // Alive and answering, on the same host (nothing crashed it).
  expect(harness.alive()).toBe(true);
  const probe = await openSocket(harness.url);
  probe.send(job(1, 'after'));
  expect((await probe.next<{ type: string }>((m) => m.id === 'after' && (m.type === 'generation-result' || m.type === 'error'))).type).toBe('generation-result');
  await probe.close();
  await new Promise((r) => setTimeout(r, 1_000));
  const harnessAfter = harness.rss();
  const hostAfter = rssOf(harness.hostPid());
  console.info(
    `soak: ${tally.results} results, ${tally.cancelled} cancelled, ${tally.lost} dropped with the socket in ${seconds.toFixed(1)} s; ` +
      `harness RSS ${mib(harnessBefore)} → ${mib(harnessAfter)} MiB, host RSS ${mib(hostBefore)} → ${mib(hostAfter)} MiB`,
  );
  expect(harnessAfter).toBeLessThan(harnessBefore + 48 * 2 ** 20);
  expect(hostAfter).toBeLessThan(hostBefore + 64 * 2 ** 20);
}, 180_000);
