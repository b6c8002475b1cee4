import { mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { artifactsDir as artifacts, repoRoot, type StudioSession } from './browser';
import { openEditor } from './editor-page';

/**
 * The Models dialog (issue #14) in Chromium against the built harness, which serves the model
 * manager's channels as Electron main does. A temporary user data folder (FOURM_STUDIO_DATA_DIR);
 * downloads go to a local server that has nothing (every file 404); memory is capped at 4 GiB so
 * the larger official models are refused with the registry's suggestion. The imported model is a
 * package folder of the shipped model's files under another id and a non-commercial licence.
 */
const dataDir = mkdtempSync(join(tmpdir(), '4m-e2e-models-'));
const PKG = join(repoRoot, 'models', 'zoo', 'world-4m-small');
const fixture = join(mkdtempSync(join(tmpdir(), '4m-e2e-fixture-')), 'fixture-copy');
mkdirSync(fixture);
for (const d of ['fm', 'text', 'tokenizers']) symlinkSync(join(PKG, d), join(fixture, d));
const manifest = JSON.parse(readFileSync(join(PKG, 'manifest.json'), 'utf8')) as Record<string, unknown>;
writeFileSync(join(fixture, 'manifest.json'), JSON.stringify({
  ...manifest, id: 'fixture-copy', displayName: 'Fixture copy',
  license: { name: 'Fixture research licence', nonCommercial: true, url: 'https://example.invalid/licence', summary: 'research and non-commercial use only' },
}));

let studio: StudioSession;
let page: Page;
let hub: Server;

beforeAll(async () => {
  hub = createServer((_req, res) => void res.writeHead(404, 'Not Found').end());
  await new Promise<void>((done) => hub.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${(hub.address() as AddressInfo).port}`;
  ({ studio } = await openEditor({ width: 1440, height: 900 }, {
    env: { FOURM_STUDIO_DATA_DIR: dataDir, FOURM_STUDIO_MODEL_BASE_URL: base, STUDIO_TEST_AVAILABLE_MEMORY: String(4 * 2 ** 30), STUDIO_TEST_FREE_SPACE: String(2 ** 40) },
  }));
  page = studio.page;
}, 120_000);

afterAll(async () => {
  await studio?.close();
  await new Promise((done) => hub?.close(done));
});

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(artifacts, name) });
const dialog = () => page.getByTestId('models-dialog');

test('open with Ctrl+Shift+M: the bundled model is listed, active, with size, licence and backends; the catalogue with memory refusals', async () => {
  await page.keyboard.press('Control+Shift+M');
  await expect.poll(() => dialog().isVisible()).toBe(true);
  const bundled = page.getByTestId('model-bundled-world-4m-small');
  await bundled.waitFor();
  expect(await bundled.getByTestId('active-mark').textContent()).toBe('Active');
  expect(await bundled.getByTestId('size').textContent()).toMatch(/^\d+ MiB$/);
  expect(await bundled.getByTestId('license').textContent()).toContain('Made by this project');
  expect(await bundled.textContent()).toMatch(/Runs on\s*cpu/);
  expect(await page.getByTestId('remove-world-4m-small').count()).toBe(0); // bundled: never removed
  const xl = page.getByTestId('model-catalog-4M-21_L');
  expect(await xl.getByTestId('license').textContent()).toMatch(/non-commercial/);
  // A download is the FM alone: where it will run, and that it needs its tokenizers (not "none yet").
  expect(await xl.textContent()).toMatch(/Runs on\s*cpu, with its tokenizers/);
  expect(await xl.getByTestId('memory-refusal').textContent()).toMatch(/^4M-21_L needs about 8\.2 GiB of memory to load, but only 4\.0 GiB is available: use a smaller model such as 4M-21_B/);
  await shot('models-1-open.png');
  // Escape closes it and gives the focus back to the button that opens it.
  await page.keyboard.press('Escape');
  await expect.poll(() => dialog().isVisible()).toBe(false);
  // A native dialog's close event (which gives focus back) fires a task after it hides.
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('open-models');
}, 60_000);

test('import a local model folder: licence shown and accepted, then verified and removed', async () => {
  await page.getByTestId('open-models').click();
  await page.getByTestId('import-path').fill(fixture);
  await page.getByTestId('models-import-folder').click();
  const prompt = page.getByTestId('models-prompt');
  await prompt.waitFor({ timeout: 60_000 });
  expect(await prompt.textContent()).toContain('Fixture research licence');
  expect(await prompt.textContent()).toContain('non-commercial use only');
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('prompt-cancel');
  await shot('models-2-licence.png');
  await page.getByTestId('accept-license').click();
  await page.getByTestId('models-status').filter({ hasText: 'Installed fixture-copy.' }).waitFor({ timeout: 60_000 });
  const card = page.getByTestId('model-user-fixture-copy');
  expect(await card.getByTestId('license').textContent()).toMatch(/Fixture research licence — non-commercial.*accepted \d{4}-\d\d-\d\d/);
  expect(readdirSync(join(dataDir, 'models'))).toEqual(['fixture-copy']);
  expect(JSON.parse(readFileSync(join(dataDir, 'accepted-licenses.json'), 'utf8')).accepted[0].name).toBe('Fixture research licence');

  await page.getByTestId('verify-fixture-copy').click();
  await card.getByTestId('verify-result').filter({ hasText: /^Verified: all \d+ files match their SHA-256\.$/ }).waitFor({ timeout: 30_000 });
  await shot('models-3-installed.png');

  await page.getByTestId('remove-fixture-copy').click();
  expect(await prompt.textContent()).toContain(join(dataDir, 'models', 'fixture-copy'));
  await shot('models-4-remove.png');
  // Escape cancels the confirmation, not the dialog.
  await page.keyboard.press('Escape');
  await expect.poll(() => prompt.count()).toBe(0);
  expect(await dialog().isVisible()).toBe(true);
  await page.getByTestId('remove-fixture-copy').click();
  await page.getByTestId('confirm-remove').click();
  await page.getByTestId('models-status').filter({ hasText: 'Removed fixture-copy.' }).waitFor();
  expect(await card.count()).toBe(0);
  expect(readdirSync(join(dataDir, 'models'))).toEqual([]);
}, 120_000);

test('errors are said plainly: a path that is not a model, a download that is not there, a model too big', async () => {
  await page.getByTestId('import-path').fill(join(dataDir, 'no-such-folder'));
  await page.getByTestId('models-import-folder').click();
  const error = page.getByTestId('models-error');
  await error.filter({ hasText: 'is not a folder, a file, a URL' }).waitFor({ timeout: 30_000 });

  await page.getByTestId('download-4M-7_B_CC12M').click();
  await page.getByTestId('models-prompt').filter({ hasText: '4M model weights licence' }).waitFor();
  await page.getByTestId('accept-license').click();
  await error.filter({ hasText: /^Not found: http:\/\/127\.0\.0\.1:\d+\/EPFL-VILAB\/4M-7_B_CC12M\/resolve\/main\/model\.safetensors: HTTP 404 Not Found$/ }).waitFor({ timeout: 30_000 });
  await shot('models-5-error.png');

  // Accepted once: the next model under that licence is not asked again, and one too big is refused.
  await page.getByTestId('download-4M-21_B').click();
  await error.filter({ hasText: /^Will not fit in memory: 4M-21_B needs about \d\.\d GiB .* close other programs or use a smaller model$/ }).waitFor();
  expect(await page.getByTestId('models-prompt').count()).toBe(0);
  await shot('models-6-memory.png');
  expect(studio.consoleErrors).toEqual([]);
  expect(studio.harness.alive()).toBe(true);
}, 60_000);
