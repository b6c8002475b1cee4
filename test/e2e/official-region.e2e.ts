import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { expect, test } from 'vitest';
import { writeOfficialFolder } from '../unit/models/engine/fm/official-fixture';
import { artifactsDir as artifacts, type StudioSession } from './browser';
import type { EditorPage } from './editor-page';
import { FM_FIXTURE, officialSuite, useModel } from './official-session';
import { importModelFolder } from './models-dialog';
import type { SentRequest } from './job-requests';

/**
 * Masked regeneration ("Fix a region") on an official 4M model in Chromium against the built harness:
 * the 4M-21-layout FM fixture with the RGB DiVAE fixture in tokenizers/rgb/ is imported and Used; a
 * picture goes into RGB, the region tool (M) marks a band of tokens, RGB is set to generate and
 * Generate runs. The request carries the RGB layer with its keepMask; the host encodes the picture
 * with the RGB DiVAE, keeps the tokens outside the region and generates the rest, and the editor puts
 * the result in the region only (as for the bundled model). Random weights: the new pixels are noise;
 * that only the region changes is what is checked.
 */
const MODEL = FM_FIXTURE;
const RGB = 'rgb@224';

let studio: StudioSession;
let page: Page;
let editor: EditorPage;
/** Each generation request the page sent over the harness WebSocket. */
let requests: SentRequest[] = [];
const { root } = officialSuite('official-region', {
  prepare: (root) => writeOfficialFolder(join(root, MODEL), ['rgb']),
  watchRequests: true,
  opened: (session) => ({ studio, page, editor, requests } = session),
});

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(artifacts, name) });

/** A picture to tell apart: sky above, grass below, an orange disc in the middle. */
async function scenePicture(path: string): Promise<void> {
  const side = 224;
  const rgba = Buffer.alloc(side * side * 4);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const disc = (x - 112) ** 2 + (y - 120) ** 2 < 40 ** 2;
      const c = disc ? [240, 140, 40] : y < 110 ? [90 + y / 2, 150 + y / 3, 235] : [60, 150 - (y - 110) / 3, 50];
      rgba.set([...c.map(Math.round), 255], (y * side + x) * 4);
    }
  }
  writeFileSync(path, await sharp(rgba, { raw: { width: side, height: side, channels: 4 } }).png().toBuffer());
}

test('mask a region of RGB on an official model and Generate: only the region is regenerated', async () => {
  await page.getByTestId('open-models').click();
  await importModelFolder(page, join(root, MODEL), MODEL);
  await useModel(page, editor, MODEL);

  const path = join(artifacts, 'official-region-input.png');
  await scenePicture(path);
  await page.getByTestId('import-file').setInputFiles(path);
  await expect.poll(() => page.getByTestId('editor-status').textContent()).toMatch(/Imported official-region-input\.png/);
  await page.getByTestId(`role-${RGB}`).selectOption('generate');

  // The region tool (M) on the RGB layer: a band across the disc (token rows 6 and 7).
  await editor.selectLayer(RGB);
  await page.keyboard.press('m');
  await page.getByTestId('brush-size').fill('20');
  await editor.drag([72, 104], [150, 104]);
  await editor.drag([72, 120], [150, 120]);
  const far: [number, number][] = [[8, 8], [212, 212], [112, 40], [112, 200], [16, 112], [210, 112]];
  const outside = await Promise.all(far.map(([x, y]) => editor.pixel(x, y)));
  const inside = await editor.pixel(112, 112);
  await shot('official-region-1-mask.png');

  await page.getByTestId('generate').click();
  await page.getByTestId('staging').waitFor({ timeout: 240_000 });
  await expect.poll(() => page.getByTestId('generation-progress').count(), { timeout: 240_000, interval: 250 }).toBe(0);
  expect(await page.getByTestId('generation-error').count()).toBe(0);
  // The RGB layer went as the picture with its keepMask: the marked tokens 0, the rest 1.
  const sent = requests.at(-1)?.inputs?.[RGB];
  expect(sent?.kind).toBe('image-pixels');
  const regenerated = (sent?.keepMask ?? []).flatMap((k, i) => (k === 0 ? [i] : []));
  expect(sent?.keepMask).toHaveLength(196);
  expect(regenerated.length).toBeGreaterThan(4);
  expect(regenerated.every((i) => Math.floor(i / 14) >= 5 && Math.floor(i / 14) <= 8)).toBe(true);
  await shot('official-region-2-staged.png');
  await page.getByTestId('staging-accept').click();
  await expect.poll(() => editor.syncOf(RGB), { timeout: 30_000 }).toBe('in sync');
  await page.getByTestId('clear-mask').click();

  expect(await Promise.all(far.map(([x, y]) => editor.pixel(x, y)))).toEqual(outside);
  expect(await editor.pixel(112, 112)).not.toEqual(inside);
  await shot('official-region-3-accepted.png');
  expect(await page.getByTestId('editor-error').count()).toBe(0);
  expect(studio.consoleErrors).toEqual([]);
}, 600_000);
