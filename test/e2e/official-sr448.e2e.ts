import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { expect, test } from 'vitest';
import { writeOfficialFolder, writeOfficialSrFolder } from '../unit/models/engine/fm/official-fixture';
import { officialSequenceTokenizerJson } from '../unit/models/tokenizers/tokenizer-fixture';
import { artifactsDir as artifacts, type StudioSession } from './browser';
import type { EditorPage } from './editor-page';
import { FM_FIXTURE, hostReady, officialSuite, useModel } from './official-session';
import { importModelFolder } from './models-dialog';
import type { SentRequest } from './job-requests';

/**
 * "Continue at 448" (issue #14) in Chromium against the built harness: the 4M-21-layout FM fixture
 * with the RGB DiVAE and a WordPiece file makes a 224 px RGB from a caption; Upscale ×2 with the
 * 4M-7-SR-layout fixture (RGB DiVAE at 448, the same WordPiece file) gives a 448 × 448 entry; its
 * viewer's "Continue at 448" opens the SR model, whose canvas is 448 × 448 on 28 × 28 tokens, with
 * the upscaled picture on RGB and the caption carried over. The region tool then regenerates a band
 * of tok_rgb@448 on the SR model; outside the band the picture stays as it was; a second region on the
 * accepted result goes as the picture again (not the tokens). The 448 document is
 * saved as a project of the SR model. Random weights: pictures are noise; sizes, the request (784
 * keepMask entries) and what stays unchanged are checked.
 */
const MODEL = FM_FIXTURE;
const SR = 'SR-fixture';
const CAPTION = 'a red ball on the grass';

/** The FM fixture and the SR fixture, with the RGB DiVAE and one WordPiece file for both. */
function writeFolders(root: string): void {
  const wordpiece = join(root, 'wordpiece.json');
  writeFileSync(wordpiece, JSON.stringify(officialSequenceTokenizerJson()));
  writeOfficialFolder(join(root, MODEL), ['rgb'], wordpiece);
  writeOfficialSrFolder(join(root, SR), ['rgb']);
  copyFileSync(wordpiece, join(root, SR, 'text_tokenizer_4m_wordpiece_30k.json'));
}

let studio: StudioSession;
let page: Page;
let editor: EditorPage;
let requests: SentRequest[] = [];
const { root } = officialSuite('sr448', {
  prepare: writeFolders,
  watchRequests: true,
  opened: (session) => ({ studio, page, editor, requests } = session),
});

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(artifacts, name) });
const sizeLine = (): Promise<string> => editor.canvasSize();

/** Generate and wait for the staged result, with no error. */
async function generate(): Promise<void> {
  await page.getByTestId('generate').click();
  await page.getByTestId('staging').waitFor({ timeout: 300_000 });
  await expect.poll(() => page.getByTestId('generation-progress').count(), { timeout: 300_000, interval: 250 }).toBe(0);
  expect(await page.getByTestId('generation-error').count()).toBe(0);
}

let upscaledPng: Buffer;

test('a caption → 224 px RGB, upscaled ×2 with the SR model: a 448 × 448 entry', async () => {
  await page.getByTestId('open-models').click();
  await importModelFolder(page, join(root, MODEL), MODEL);
  await importModelFolder(page, join(root, SR), SR);
  await useModel(page, editor, MODEL);

  await page.getByTestId('role-rgb@224').selectOption('generate');
  await page.getByTestId('role-caption').selectOption('condition');
  await page.getByTestId('prompt').fill(CAPTION);
  await page.getByTestId('prompt').press('Tab'); // the prompt commits to the caption layer on change
  await generate();
  await page.getByTestId('staging-accept').click();
  await expect.poll(() => page.locator('[data-testid="gallery"] li').count(), { timeout: 30_000 }).toBe(1);

  const button = page.getByTestId('gallery').getByTestId('upscale').first();
  await button.focus();
  await expect.poll(() => button.getAttribute('aria-disabled'), { timeout: 30_000 }).toBe('false');
  await button.click();
  const entry = page.getByTestId('upscaled-entry').first();
  await entry.waitFor({ timeout: 300_000 });
  const picture = entry.getByTestId('upscaled-picture');
  expect([await picture.getAttribute('data-width'), await picture.getAttribute('data-height')]).toEqual(['448', '448']);
  expect(await entry.getByTestId('upscaled-continue').textContent()).toBe('Continue at 448');
  const [download] = await Promise.all([page.waitForEvent('download'), entry.getByTestId('upscaled-save').click()]);
  const file = join(artifacts, 'sr448-upscaled.png');
  await download.saveAs(file);
  upscaledPng = readFileSync(file);
  await page.getByTestId('upscaled').scrollIntoViewIfNeeded();
  await shot('sr448-1-upscaled-entry.png');
  expect(studio.consoleErrors).toEqual([]);
}, 900_000);

test('Continue at 448 from the viewer: the SR model opens at 448 × 448 on 28 × 28 tokens, RGB is the upscaled picture, the caption came along', async () => {
  await page.getByTestId('upscaled-view').first().click();
  const viewer = page.getByTestId('upscaled-viewer');
  await expect.poll(() => viewer.isVisible(), { timeout: 10_000 }).toBe(true);
  await shot('sr448-2-viewer.png');
  await viewer.getByTestId('upscaled-viewer-continue').click();
  await expect.poll(() => viewer.isVisible()).toBe(false);
  await hostReady(page, SR);
  await expect.poll(sizeLine, { timeout: 60_000 }).toBe('448 × 448 px, 28 × 28 tokens');
  // Said where the layers are too (the 448 picture fills the same area the 224 one did).
  expect(await page.getByTestId('layers-canvas-size').textContent()).toBe('· 448 × 448 px');
  await expect.poll(() => page.getByTestId('editor-status').textContent(), { timeout: 30_000 }).toMatch(new RegExp(`^Continuing at 448 × 448 with ${SR}: RGB, Caption from the result upscaled from seed \\d+$`));
  expect(await page.getByTestId('prompt').inputValue()).toBe(CAPTION);
  // The layers are the SR model's at 448: RGB (rgb@448), its boxes and the caption (a condition, as it was at 224); the 224 inputs are no layers.
  expect(await page.getByTestId('label-rgb@448').textContent()).toBe('RGB');
  expect(await page.locator('[data-testid="layer-list"] > li').count()).toBe(3);
  expect(await page.getByTestId('role-caption').inputValue()).toBe('condition');
  expect(await page.getByTestId('role-rgb@448').inputValue()).toBe('condition');

  // The canvas shows the upscaled picture exactly (pixels read off the canvas at 100 %).
  await page.keyboard.press('Escape');
  await editor.selectLayer('rgb@448');
  const raw = await sharp(upscaledPng).ensureAlpha().raw().toBuffer();
  for (const [x, y] of [[5, 5], [440, 12], [224, 224], [30, 400], [447, 447]] as const) {
    const i = (y * 448 + x) * 4;
    expect((await editor.pixel(x, y)).slice(0, 3)).toEqual([raw[i], raw[i + 1], raw[i + 2]]);
  }
  await shot('sr448-3-continued.png');
  // One undoable step, named for what it did.
  expect(await page.getByTestId('undo').getAttribute('title')).toMatch(/Continue at 448 × 448/);
  expect(studio.consoleErrors).toEqual([]);
}, 600_000);

test('on the SR canvas the tasks and roles are what the SR model can do: it reads Boxes and Caption, writes only RGB here', async () => {
  // Kept in the bar (it does not jump between models), disabled, saying why.
  const sketch = page.getByTestId('task-sketch');
  expect(await sketch.isDisabled()).toBe(true);
  expect(await sketch.getAttribute('title')).toBe('Sketch → picture: this model has no Segmentation layer');
  const photo = page.getByTestId('task-photo');
  expect(await photo.isDisabled()).toBe(true);
  expect(await photo.getAttribute('title')).toBe('Photo → all layers: this model cannot generate any other layer from RGB');
  expect(await page.getByTestId('task-caption').isDisabled()).toBe(false);
  expect(await page.getByTestId('task-region').isDisabled()).toBe(false);
  // The reasons are on screen too (no hover needed; a disabled button takes no keyboard focus), and the buttons point at them.
  expect(await page.getByTestId('tasks-unavailable').textContent()).toBe('Not on this model: Sketch → picture (it has no Segmentation layer); Photo → all layers (it cannot generate any other layer from RGB).');
  expect(await sketch.getAttribute('aria-describedby')).toBe('tasks-unavailable');
  // Derive all from RGB would have nothing to make here (it was offered): greyed, with the same reason on screen.
  expect(await page.getByTestId('derive').isDisabled()).toBe(true);
  expect(await page.getByTestId('derive-why').textContent()).toBe('This model cannot generate any other layer from RGB.');
  // A click that gets through anyway changes nothing: Boxes and Caption are never made targets.
  await photo.click({ force: true });
  expect(await page.getByTestId('role-det').inputValue()).not.toBe('generate');
  expect(await page.getByTestId('role-caption').inputValue()).toBe('condition');
  // The role menus offer generate only where the model writes the layer.
  for (const [id, name] of [['det', 'Boxes (COCO)'], ['caption', 'Caption']] as const) {
    const option = page.getByTestId(`role-${id}`).locator('option[value="generate"]');
    expect(await option.isDisabled()).toBe(true);
    expect(await option.getAttribute('title')).toBe(`this model cannot generate ${name}`);
    expect(await page.getByTestId(`role-${id}`).locator('option[value="condition"]').isDisabled()).toBe(false);
  }
  expect(await page.getByTestId('role-rgb@448').locator('option[value="generate"]').isDisabled()).toBe(false);
  // Fix a region can: RGB to generate, the caption (it says something) steers it, the boxes stay out.
  await page.getByTestId('task-region').click();
  expect(await page.getByTestId('role-rgb@448').inputValue()).toBe('generate');
  expect(await page.getByTestId('role-caption').inputValue()).toBe('condition');
  expect(await page.getByTestId('role-det').inputValue()).toBe('ignore');
  await photo.hover({ force: true });
  await shot('sr448-3b-tasks.png');
  expect(studio.consoleErrors).toEqual([]);
}, 120_000);

test('the region tool on the 448 canvas: tok_rgb@448 regenerated in the band only, the rest of the picture kept; saved as an SR project', async () => {
  await page.getByTestId('role-rgb@448').selectOption('generate');
  await editor.selectLayer('rgb@448');
  await page.keyboard.press('m');
  await page.getByTestId('brush-size').fill('40');
  await editor.drag([120, 216], [320, 216]);
  const far: [number, number][] = [[8, 8], [440, 440], [224, 60], [224, 400], [20, 224], [430, 224]];
  const outside = await Promise.all(far.map(([x, y]) => editor.pixel(x, y)));
  const inside = await editor.pixel(224, 216);
  await shot('sr448-4-mask.png');

  await generate();
  const sent = requests.at(-1)?.inputs?.['rgb@448'];
  expect(sent?.kind).toBe('image-pixels');
  expect(sent?.keepMask).toHaveLength(784);
  const regenerated = (sent?.keepMask ?? []).flatMap((k, i) => (k === 0 ? [i] : []));
  expect(regenerated.length).toBeGreaterThan(8);
  expect(regenerated.every((i) => Math.abs(Math.floor(i / 28) - 13.5) <= 3)).toBe(true);
  expect(requests.at(-1)?.inputs?.['caption']?.text).toBe(CAPTION);
  await shot('sr448-5-staged.png');
  await page.getByTestId('staging-accept').click();
  await expect.poll(() => editor.syncOf('rgb@448'), { timeout: 30_000 }).toBe('in sync');
  await page.getByTestId('clear-mask').click();
  expect(await Promise.all(far.map(([x, y]) => editor.pixel(x, y)))).toEqual(outside);
  expect(await editor.pixel(224, 216)).not.toEqual(inside);
  await shot('sr448-6-accepted.png');

  // A second region on the accepted result: RGB now holds the SR model's tokens, yet it goes as its
  // picture (the SR layout asks for pictures as pixels), so the 224 condition is derived again.
  await editor.drag([40, 60], [120, 60]);
  await generate();
  const again = requests.at(-1)?.inputs?.['rgb@448'];
  expect(again?.kind).toBe('image-pixels');
  expect((again?.keepMask ?? []).filter((k) => k === 0).length).toBeGreaterThan(2);
  await page.getByTestId('staging-accept').click();
  await expect.poll(() => editor.syncOf('rgb@448'), { timeout: 30_000 }).toBe('in sync');
  await page.getByTestId('clear-mask').click();

  const file = await editor.save('sr448-scene');
  const bytes = readFileSync(file);
  const header = JSON.parse(bytes.subarray(16, 16 + bytes.readUInt32LE(12)).toString('utf8')) as { manifest?: { modelId: string; width: number; tokenRows: number } };
  expect(header.manifest).toMatchObject({ modelId: SR, width: 448, tokenRows: 28 });
  expect(await page.getByTestId('editor-error').count()).toBe(0);
  expect(studio.consoleErrors).toEqual([]);
  expect(studio.harness.alive()).toBe(true);
}, 900_000);

test('back to the 224 model: its document comes back as it was, with its upscaled entry', async () => {
  await page.getByTestId('open-models').click();
  await useModel(page, editor, MODEL);
  expect(await page.getByTestId('layers-canvas-size').textContent()).toBe('· 224 × 224 px');
  expect(await page.getByTestId('upscaled-entry').count()).toBe(1);
  expect(await page.locator('[data-testid="gallery"] li').count()).toBe(1);
  expect(await page.getByTestId('prompt').inputValue()).toBe(CAPTION);
  await page.getByTestId('upscaled').scrollIntoViewIfNeeded();
  await shot('sr448-7-back-to-224.png');
  expect(studio.consoleErrors).toEqual([]);
}, 300_000);
