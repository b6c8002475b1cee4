import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startBuiltHarness, type BuiltHarness } from './built-harness';

/** Debian's Chromium, headless, a fresh profile directory, no network chatter. */
export async function launchChromium(viewport: { width: number; height: number }): Promise<BrowserContext> {
  const executablePath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
  const userDataDir = mkdtempSync(join(tmpdir(), '4m-studio-e2e-'));
  return chromium.launchPersistentContext(userDataDir, {
    executablePath,
    viewport,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Collects console errors and page errors; the test fails if any appear. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

export const repoRoot = resolve(import.meta.dirname, '..', '..');
export const artifactsDir = join(repoRoot, 'test', 'artifacts');
/** The slow, killable host fixture of the supervision tests (test/fixtures/host). */
export const slowReliefFixture = join(repoRoot, 'test', 'fixtures', 'host', 'slow-relief.mjs');

export interface StudioSession {
  readonly harness: BuiltHarness;
  readonly browser: BrowserContext;
  readonly page: Page;
  /** Console and page errors seen so far; every test expects it to stay empty. */
  readonly consoleErrors: string[];
  close(): Promise<void>;
}

/**
 * The built renderer in Debian Chromium against the built harness (`node out/main/harness.js`,
 * its own process, as `npm run web` runs it) and its forked inference host, with the shipped model
 * or, when a test names one, a host fixture (STUDIO_TEST_HOST_FIXTURE).
 */
export async function openStudio(viewport: { width: number; height: number }, options: { hostFixture?: string; env?: Record<string, string> } = {}): Promise<StudioSession> {
  mkdirSync(artifactsDir, { recursive: true });
  const env = { ...options.env, ...(options.hostFixture ? { STUDIO_TEST_HOST_FIXTURE: options.hostFixture } : {}) };
  const harness = await startBuiltHarness({ files: false, env });
  const browser = await launchChromium(viewport);
  const page = browser.pages()[0] ?? (await browser.newPage());
  const consoleErrors = watchConsole(page);
  await page.goto(harness.url);
  return {
    harness, browser, page, consoleErrors,
    async close() {
      await browser.close();
      await harness.close();
    },
  };
}
