import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { artifactsDir, launchChromium, slowReliefFixture, watchConsole } from './browser';
import { startBuiltHarness, type BuiltHarness } from './built-harness';
import { EditorPage } from './editor-page';

/**
 * The editor's connection to the built harness: one socket per page, and a socket that drops
 * mid-job fails that job with a message, the badge says so, and everything works once the
 * socket is back (issue #12, items 5 and 8). The host runs the paced relief fixture, so a job
 * is still running when the socket is dropped.
 */

const SEMSEG = 'tok_semseg@128';
const RGB = 'tok_rgb@128';
const fixture = { STUDIO_TEST_HOST_FIXTURE: slowReliefFixture };

let harness: BuiltHarness;
let browser: BrowserContext;
let page: Page;
let consoleErrors: string[];

beforeAll(async () => {
  harness = await startBuiltHarness({ files: false, env: fixture });
  browser = await launchChromium({ width: 1280, height: 800 });
  page = browser.pages()[0] ?? (await browser.newPage());
  consoleErrors = watchConsole(page);
  // Count the page's sockets, and let the test drop them as a network would.
  await page.addInitScript(() => {
    const Native = window.WebSocket;
    const sockets: WebSocket[] = [];
    (window as unknown as { __sockets: WebSocket[] }).__sockets = sockets;
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        sockets.push(this);
      }
    };
  });
  await page.goto(harness.url);
});

afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

const badge = (): Promise<string | null> => page.getByTestId('host-status').textContent();
const sockets = (open: boolean): Promise<number> =>
  page.evaluate((onlyOpen) => (window as unknown as { __sockets: WebSocket[] }).__sockets.filter((s) => !onlyOpen || s.readyState === WebSocket.OPEN).length, open);
const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(artifactsDir, name) });

test('a page opens one socket', async () => {
  await expect.poll(badge, { timeout: 20_000 }).toMatch(/ready · Test relief fixture/);
  await page.waitForTimeout(300);
  expect(await sockets(false)).toBe(1);
});

test('a socket lost mid-job fails the job with a message; the badge says disconnected until it is back', async () => {
  const editor = new EditorPage(page);
  await editor.selectLayer(SEMSEG);
  await page.keyboard.press('b');
  await page.getByTestId('class-cone').click();
  await editor.drag([10, 10], [30, 30]);
  await page.getByTestId(`role-${SEMSEG}`).selectOption('condition'); // the fixture answers at the input's size
  await page.getByTestId(`role-${RGB}`).selectOption('generate');
  await page.getByTestId('generate').click();
  await page.getByTestId('generation-progress').waitFor();
  await page.evaluate(() => (window as unknown as { __sockets: WebSocket[] }).__sockets.forEach((s) => s.close()));
  await expect
    .poll(() => page.getByTestId('generation-error').textContent(), { timeout: 10_000 })
    .toMatch(/The connection to the inference host was lost while this job was running\. Your document is unchanged/);
  await shot('connection-lost.png');

  // Reconnects by itself (every second); the badge is ready again and a job runs to the end.
  await expect.poll(badge, { timeout: 15_000 }).toMatch(/ready · Test relief fixture/);
  expect(await sockets(true)).toBe(1);
  await page.getByTestId('generate').click();
  await page.getByTestId('staging').waitFor({ timeout: 40_000 });
  await expect.poll(() => page.getByTestId('generation-error').count()).toBe(0);
  await shot('connection-back.png');
  expect(consoleErrors).toEqual([]);
});

test('while the harness is gone the badge says disconnected; it comes back on the same port', async () => {
  const port = harness.port;
  await harness.close();
  await expect.poll(badge, { timeout: 10_000 }).toMatch(/disconnected/);
  await shot('connection-disconnected-badge.png');
  harness = await startBuiltHarness({ files: false, env: { ...fixture, PORT: String(port) } });
  await expect.poll(badge, { timeout: 20_000 }).toMatch(/ready · Test relief fixture/);
  // Chromium logs each failed reconnect attempt as a console error; nothing else may appear.
  expect(consoleErrors.filter((e) => !/WebSocket connection to .* failed/.test(e))).toEqual([]);
});
