import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { BuiltHarness } from './built-harness';
import { artifactsDir as artifacts, openStudio, slowReliefFixture, type StudioSession } from './browser';

/**
 * Supervision of the inference host, on the host fixture (test/fixtures/host/slow-relief.mjs:
 * a real ONNX graph run once per step, paced so a job can be killed in the middle): the built
 * renderer in Debian Chromium, the harness, the built host forked under Node. Jobs go over a
 * second WebSocket the test opens from the page, exactly as the renderer's transport sends them;
 * the product's header badge shows what the host reports.
 */

let studio: StudioSession;
let harness: BuiltHarness;
let page: Page;
let consoleErrors: string[];

beforeAll(async () => {
  studio = await openStudio({ width: 1100, height: 700 }, { hostFixture: slowReliefFixture });
  ({ harness, page, consoleErrors } = studio);
  // A probe socket in the page: records every message the harness relays to it.
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(new URL('/ws', location.href).href.replace(/^http/, 'ws'));
        const w = window as unknown as { probe: { ws: WebSocket; messages: unknown[] } };
        w.probe = { ws, messages: [] };
        ws.onmessage = (e) => w.probe.messages.push(JSON.parse(String(e.data)));
        ws.onopen = () => resolve();
        ws.onerror = () => reject(new Error('probe socket failed'));
      }),
  );
});

afterAll(() => studio?.close());

interface Seen {
  type: string;
  id?: string;
  reason?: string;
  restarting?: boolean;
  done?: number;
  variations?: { outputs: Record<string, { raster?: { width: number; rgba: string } }> }[];
  error?: { message: string };
}

const messages = (): Promise<Seen[]> => page.evaluate(() => (window as unknown as { probe: { messages: Seen[] } }).probe.messages);

async function sendJob(id: string, steps: number): Promise<void> {
  const rgba = Buffer.alloc(32 * 32 * 4, 200).toString('base64');
  const job = {
    type: 'job',
    id,
    request: {
      kind: 'generate',
      request: {
        version: 1,
        modelId: 'test-relief',
        seed: 1,
        inputs: { 'tok_semseg@128': { kind: 'image-pixels', ref: 'sketch' } },
        targets: [{ modality: 'tok_rgb@128', scheme: 'roar', steps, tokenSchedule: 'cosine', temperature: 1, temperatureSchedule: 'constant', cfgScale: 1, topK: 0, topP: 0 }],
        cfgGrowConditioning: false,
      },
      images: { sketch: { width: 32, height: 32, rgba } },
    },
  };
  await page.evaluate((text) => (window as unknown as { probe: { ws: WebSocket } }).probe.ws.send(text), JSON.stringify(job));
}

const seen = async (pred: (m: Seen) => boolean): Promise<Seen | undefined> => (await messages()).find(pred);

test('the badge names the model and the provider its graph got; a job round-trips through the host', async () => {
  const badge = page.getByTestId('host-status');
  await expect.poll(() => badge.textContent(), { timeout: 20_000 }).toMatch(/ready · Test relief fixture on cpu/);
  // The badge explains why faster providers were skipped, graph by graph.
  expect(await badge.getAttribute('title')).toMatch(/1 graphs on cpu[\s\S]*dml: not available on linux/);

  await sendJob('round-trip', 6);
  await expect.poll(() => seen((m) => m.type === 'generation-result' && m.id === 'round-trip'), { timeout: 20_000 }).toBeTruthy();
  const progress = (await messages()).filter((m) => m.type === 'generation-progress' && m.id === 'round-trip');
  expect(progress.map((m) => m.done)).toEqual([1, 2, 3, 4, 5, 6]);
  const result = await seen((m) => m.id === 'round-trip' && m.type === 'generation-result');
  const raster = result?.variations?.[0]?.outputs['tok_rgb@128']?.raster;
  expect(raster?.width).toBe(32);
  // Input grey 200 → relief towards 1 − 200/255 ≈ 0.22: a mid-dark grey, opaque.
  const [r, g, b, a] = Buffer.from(raster?.rgba ?? '', 'base64').subarray(4 * (16 * 32 + 16));
  expect(a).toBe(255);
  expect(r).toBe(g);
  expect(g).toBe(b);
  expect(r).toBeGreaterThan(20);
  expect(r).toBeLessThan(80);
  await page.screenshot({ path: join(artifacts, 'supervision-ready.png') });
  expect(consoleErrors).toEqual([]);
});

test('killing the host mid-job fails that job clearly, the host restarts, and the next job succeeds', async () => {
  const pid = harness.hostPid();
  expect(pid).toBeTypeOf('number');

  await sendJob('doomed', 60); // ≈ 6 s at the fixture's pace
  await expect.poll(() => seen((m) => m.type === 'generation-progress' && m.id === 'doomed'), { timeout: 20_000 }).toBeTruthy();
  process.kill(pid as number, 'SIGKILL');

  await expect.poll(() => seen((m) => m.type === 'host-exited'), { timeout: 10_000 }).toMatchObject({ reason: 'the inference host was killed (SIGKILL)', restarting: true });
  expect(await seen((m) => m.type === 'generation-result' && m.id === 'doomed')).toBeUndefined();
  await page.screenshot({ path: join(artifacts, 'supervision-host-killed.png') });

  await expect.poll(() => page.getByTestId('host-status').textContent(), { timeout: 20_000 }).toMatch(/ready · Test relief fixture on cpu/);
  expect(await harness.nextHostPid(pid)).not.toBe(pid);
  await sendJob('after-restart', 4);
  await expect.poll(() => seen((m) => m.type === 'generation-result' && m.id === 'after-restart'), { timeout: 20_000 }).toBeTruthy();
  expect(await seen((m) => m.type === 'error')).toBeUndefined();
  await page.screenshot({ path: join(artifacts, 'supervision-after-restart.png') });
  expect(consoleErrors).toEqual([]);
});
