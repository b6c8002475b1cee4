import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { writeOfficialFolder } from '../unit/models/engine/fm/official-fixture';
import { artifactsDir as artifacts, repoRoot, type StudioSession } from './browser';
import type { EditorPage } from './editor-page';
import { FM_FIXTURE, officialSuite, useModel } from './official-session';
import { importModelFolder } from './models-dialog';
import type { SentRequest } from './job-requests';

/**
 * Painted layers as the condition of an official 4M model (issue #14) in Chromium against the built
 * harness: the 4M-21-layout FM fixture with the semseg VQ-VAE, the depth and RGB DiVAEs and a
 * WordPiece file is imported and Used.
 * 1. The artist paints the Segmentation layer with COCO-named class brushes in their natural colours
 *    (sky light blue, then a dog), sets it to condition and the Caption to generate. The host reads the
 *    painted colours as the official classes, encodes them with the semseg tokenizer, writes a caption.
 * 2. The artist paints the Depth layer (a far-to-near gradient, a near disc) as the condition and
 *    generates RGB: the grey layer goes in through the depth DiVAE's encoder, RGB comes back through
 *    the RGB DiVAE's decoder.
 * Random weights: the words and pictures are noise; that the painted layers go in and results come
 * back is what is checked.
 */
const MODEL = FM_FIXTURE;
const SEMSEG = 'tok_semseg@224';
const DEPTH = 'tok_depth@224';
const RGB = 'rgb@224';

let studio: StudioSession;
let page: Page;
let editor: EditorPage;
/** Each generation request the page sent over the harness WebSocket. */
let requests: SentRequest[] = [];
const { root } = officialSuite('painted', {
  prepare: (root) => writeOfficialFolder(join(root, MODEL), ['semseg', 'depth', 'rgb'], join(repoRoot, 'test', 'fixtures', 'tokenizers', 'wordpiece-4m-small.tokenizer.json')),
  watchRequests: true,
  opened: (session) => ({ studio, page, editor, requests } = session),
});

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(artifacts, name) });

test('paint a segmentation with COCO class brushes → generate the caption on an official model', async () => {
  await page.getByTestId('open-models').click();
  await importModelFolder(page, join(root, MODEL), MODEL);
  await useModel(page, editor, MODEL);
  expect(await page.getByTestId('layer-caption').count()).toBe(1);

  await editor.selectLayer(SEMSEG);
  await page.keyboard.press('b');
  await page.getByTestId('brush-size').fill('60');
  // The class brushes carry natural colours: sky light blue (the same colour the decoder draws sky in).
  expect(await page.getByTestId('class-sky').locator('.chip').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(135, 200, 240)');
  expect(await page.getByTestId('class-grass').locator('.chip').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(112, 196, 58)');
  await page.getByTestId('class-sky').click();
  await editor.drag([0, 40], [224, 40], 24);
  expect((await editor.pixel(112, 40)).slice(0, 3)).toEqual([135, 200, 240]);
  await page.getByTestId('class-dog').click();
  await editor.drag([80, 150], [150, 150], 12);
  await page.getByTestId(`role-${SEMSEG}`).selectOption('condition');
  await page.getByTestId('role-caption').selectOption('generate');
  await shot('official-painted-1-sketch.png');

  await page.getByTestId('generate').click();
  await page.getByTestId('staging').waitFor({ timeout: 240_000 });
  await expect.poll(() => page.getByTestId('generation-progress').count(), { timeout: 120_000 }).toBe(0);
  expect(await page.getByTestId('generation-error').count()).toBe(0);
  // The painted layer went to the host as pixels (the host encoded it; a refusal would be an error above).
  expect(requests.at(-1)?.inputs?.[SEMSEG]?.kind).toBe('image-pixels');
  await page.getByTestId('staging-accept').click();
  await expect.poll(() => page.locator('[data-testid="gallery"] li').count(), { timeout: 30_000 }).toBe(1);
  await shot('official-painted-2-caption.png');
  expect(studio.consoleErrors).toEqual([]);
}, 600_000);

test('paint depth (a gradient, a near disc) as the condition → generate RGB: through the depth DiVAE encoder', async () => {
  // The model is open from the test above; its Depth and RGB layers are there because their tokenizer folders are.
  expect(await page.getByTestId(`layer-${DEPTH}`).count()).toBe(1);
  await page.getByTestId(`role-${SEMSEG}`).selectOption('ignore');
  await page.getByTestId('role-caption').selectOption('ignore');
  await editor.selectLayer(DEPTH);
  await page.keyboard.press('d');
  await page.getByTestId('gradient-from').fill('0');
  await page.getByTestId('gradient-to').fill('255');
  await editor.drag([112, 60], [112, 223]);
  await page.keyboard.press('b');
  await page.getByTestId('brush-size').fill('50');
  await page.getByTestId('brush-value').fill('240');
  await editor.drag([140, 150], [160, 150], 8);
  const [far] = await editor.pixel(20, 20);
  const [near] = await editor.pixel(150, 150);
  expect(far).toBeLessThan(10);
  expect(near).toBeGreaterThan(200);
  await page.getByTestId(`role-${DEPTH}`).selectOption('condition');
  await page.getByTestId(`role-${RGB}`).selectOption('generate');
  await shot('official-painted-3-depth.png');

  await page.getByTestId('generate').click();
  await page.getByTestId('staging').waitFor({ timeout: 420_000 });
  await expect.poll(() => page.getByTestId('generation-progress').count(), { timeout: 120_000 }).toBe(0);
  expect(await page.getByTestId('generation-error').count()).toBe(0);
  // The painted depth went to the host as a picture (a refusal would be an error above).
  expect(requests.at(-1)?.inputs?.[DEPTH]?.kind).toBe('image-pixels');
  await page.getByTestId('staging-accept').click();
  await expect.poll(() => page.locator('[data-testid="gallery"] li').count(), { timeout: 30_000 }).toBe(2);
  await editor.selectLayer(RGB);
  await shot('official-painted-4-rgb.png');
  expect(studio.consoleErrors).toEqual([]);
}, 600_000);

