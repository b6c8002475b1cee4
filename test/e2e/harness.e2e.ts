import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { BuiltHarness } from './built-harness';
import { artifactsDir as artifacts, openStudio, type StudioSession } from './browser';

/**
 * The real renderer (built) in Debian Chromium, against the real inference host
 * (built, forked under Node) running the placeholder ONNX graph on onnxruntime-node.
 */

let studio: StudioSession;
let harness: BuiltHarness;
let page: Page;
let consoleErrors: string[];

beforeAll(async () => {
  studio = await openStudio({ width: 900, height: 420 }, '#skeleton');
  ({ harness, page, consoleErrors } = studio);
});

afterAll(() => studio?.close());

async function reliefPixel(): Promise<number[]> {
  // Centre of the relief layer: Konva's second layer canvas, image at x = 256 + 16.
  return page.evaluate(() => {
    const canvas = document.querySelectorAll<HTMLCanvasElement>('[data-testid="canvas"] canvas')[1];
    const ctx = canvas?.getContext('2d');
    if (!ctx) throw new Error('no Konva canvas');
    return Array.from(ctx.getImageData(272 + 128, 128, 1, 1).data);
  });
}

test('a job round-trips through the inference host and its result is drawn', async () => {
  await expect.poll(() => page.getByTestId('host-status').textContent()).toMatch(/ready on cpu/);
  // The badge explains why faster providers were skipped.
  expect(await page.getByTestId('host-status').getAttribute('title')).toMatch(/dml: not available on linux/);
  expect(await reliefPixel()).toEqual([0, 0, 0, 0]);

  await page.getByTestId('run-relief').click();
  await page.getByTestId('progress').waitFor();
  await expect.poll(() => page.getByTestId('message').textContent(), { timeout: 20_000 }).toMatch(/Relief done \(24 steps on cpu\)/);

  const [r, g, b, a] = await reliefPixel();
  expect(a).toBe(255);
  expect(r).toBe(g);
  expect(g).toBe(b);
  expect(r).toBeGreaterThan(0);
  await page.screenshot({ path: join(artifacts, 'relief-result.png') });
  expect(consoleErrors).toEqual([]);
});

test('killing the host mid-job fails that job clearly, and the next job succeeds', async () => {
  const pid = harness.hostPid();
  expect(pid).toBeTypeOf('number');

  await page.getByTestId('run-relief').click();
  await page.getByTestId('progress').waitFor();
  process.kill(pid as number, 'SIGKILL');

  const error = page.getByTestId('job-error');
  await error.waitFor({ timeout: 10_000 });
  expect(await error.textContent()).toMatch(
    /The inference host was killed \(SIGKILL\) while this job was running\. It is restarting; try again\. Your document is unchanged\./,
  );
  await page.screenshot({ path: join(artifacts, 'host-killed.png') });

  await expect.poll(() => page.getByTestId('host-status').textContent(), { timeout: 15_000 }).toMatch(/ready on cpu/);
  expect(await harness.nextHostPid(pid)).not.toBe(pid);
  await page.getByTestId('run-relief').click();
  await expect.poll(() => page.getByTestId('message').textContent(), { timeout: 20_000 }).toMatch(/Relief done/);
  await expect.poll(() => page.getByTestId('job-error').count()).toBe(0);
  await page.screenshot({ path: join(artifacts, 'after-restart.png') });
  expect(consoleErrors).toEqual([]);
});
