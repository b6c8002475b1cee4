import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { artifactsDir as artifacts, type StudioSession } from './browser';
import { openEditor, type EditorPage } from './editor-page';

/**
 * Starting from intent, at 1440×900 as a new user would: each task preset sets the roles in one
 * click, the prompt bar is the caption, Generate says why it cannot run yet, and every result is
 * staged on the canvas — whose pixels then show the picture, not the sketch.
 */
const SEMSEG = 'tok_semseg@128';
const RGB = 'tok_rgb@128';

let studio: StudioSession;
let page: Page;
let editor: EditorPage;
let consoleErrors: string[];

beforeAll(async () => {
  ({ studio, editor } = await openEditor({ width: 1440, height: 900 }));
  ({ page, consoleErrors } = studio);
}, 120_000);

afterAll(() => studio?.close());

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(artifacts, name) });
const canvasView = (): Promise<string | null> => page.getByTestId('editor-canvas').getAttribute('data-view');
const gallery = (): Promise<number> => page.locator('[data-testid="gallery"] li').count();

/** Generate (or Enter in the prompt), wait for the staged result, look at it, accept it. */
async function generateAndAccept(start: () => Promise<void>, screenshot: string, staged?: () => Promise<void>): Promise<void> {
  const before = await gallery();
  await start();
  await page.getByTestId('staging').waitFor({ timeout: 240_000 });
  await expect.poll(() => page.getByTestId('generation-progress').count(), { timeout: 240_000 }).toBe(0);
  expect(await page.getByTestId('generation-error').count()).toBe(0);
  await shot(screenshot);
  await staged?.();
  await page.getByTestId('staging-accept').click();
  await expect.poll(gallery).toBe(before + 1);
}

test('the first screen says how to start, and Generate says why it cannot run yet', async () => {
  await page.getByTestId('prompt-bar').waitFor();
  expect(await page.getByTestId('generate').isDisabled()).toBe(true);
  expect(await page.getByTestId('intent-warning').textContent()).toMatch(/Pick a task above/);
  await page.getByTestId('empty-view-hint').waitFor();
  // Nothing is to be made yet: the panel does not say it would make something "from nothing (unconditional)".
  expect(await page.getByTestId('from-nothing').count()).toBe(0);
  expect(await page.getByTestId('no-targets').textContent()).toBe('Makes: nothing yet (no layer is set to generate)');
  // How to start is said once, in the prompt bar beside the tasks (the panel said it too).
  expect(await page.getByText(/Pick a task above/).count()).toBe(1);
  await shot('intent-0-first-screen.png');
  expect(consoleErrors).toEqual([]);
});

test('Sketch → picture: one click sets the roles; an empty sketch is a warning, not an unconditional run', async () => {
  // The canvas stays put while the prompt bar's lines change (a two-line task hint, the warning
  // going with the first stroke): it jumped and rescaled mid-drawing.
  const placed = await editor.placement();
  await page.getByTestId('task-sketch').click();
  expect(await editor.placement()).toEqual(placed);
  expect(await page.getByTestId(`role-${SEMSEG}`).inputValue()).toBe('condition');
  expect(await page.getByTestId(`role-${RGB}`).inputValue()).toBe('generate');
  expect(await canvasView()).toBe(SEMSEG);
  expect(await page.getByTestId('undo').getAttribute('title')).toMatch(/Undo Task: Sketch → picture/);
  expect(await page.getByTestId('generate').isDisabled()).toBe(true);
  expect(await page.getByTestId('intent-warning').textContent()).toBe('Segmentation is empty: pick a class and paint it, or set it to ignore for an unconditional picture.');
  await shot('intent-1-sketch-empty-warning.png');

  // The fill tool is picked for an empty map: one click gives it a sky.
  await page.getByTestId('class-sky').click();
  await editor.drag([64, 10], [64, 10], 1);
  await page.keyboard.press('b');
  await page.getByTestId('brush-size').fill('40');
  await page.getByTestId('class-ground').click();
  await editor.drag([0, 112], [128, 112]);
  await page.getByTestId('class-sphere').click();
  await editor.drag([60, 60], [66, 62]);
  const sketch = await editor.pixel(64, 60);
  expect(await page.getByTestId('generate').isEnabled()).toBe(true);
  expect(await page.getByTestId('intent-warning').count()).toBe(0);
  expect(await editor.placement()).toEqual(placed);

  await page.emulateMedia({ colorScheme: 'dark' }); // the README's picture is taken in the dark theme
  await generateAndAccept(() => page.getByTestId('generate').click(), 'intent-2-sketch-staged.png', async () => {
    // Beside the picture on the canvas the panel does not say "RGB is empty".
    expect(await page.getByTestId('derive-why').textContent()).toBe("RGB's new picture is waiting under the canvas: accept it, then derive the other layers from it.");
  });
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await canvasView()).toBe(RGB);
  const picture = await editor.pixel(64, 60);
  expect(picture[3]).toBe(255);
  expect(picture).not.toEqual(sketch);
  expect(await editor.syncOf(RGB)).toBe('in sync');
  // The gallery says what each result was made from (every entry read "RGB · seed 1234").
  expect(await page.getByTestId('gallery-source').first().textContent()).toBe('from Segmentation');
  await shot('intent-3-sketch-picture.png');
  expect(consoleErrors).toEqual([]);
}, 240_000);

test('quality presets set the steps; raw values sit under Advanced and typed values are kept in range', async () => {
  expect(await page.getByTestId('quality').inputValue()).toBe('balanced');
  await page.getByTestId('quality').selectOption('fast');
  await page.getByTestId('advanced').locator('summary').click();
  expect(await page.getByLabel('Steps for RGB').inputValue()).toBe('8');
  await page.getByTestId('quality').selectOption('best');
  expect(await page.getByLabel('Steps for RGB').inputValue()).toBe('32');
  // Typed past the limits: brought back into range (the field's max does not stop typing).
  await page.getByLabel('Steps for RGB').fill('4096');
  await page.getByLabel('Steps for RGB').press('Tab');
  await expect.poll(() => page.getByLabel('Steps for RGB').inputValue()).toBe('256');
  expect(await page.getByTestId('quality').inputValue()).toBe('custom');
  await page.getByLabel('Variations').fill('64');
  await page.getByLabel('Variations').press('Tab');
  await expect.poll(() => page.getByLabel('Variations').inputValue()).toBe('8');
  await page.getByLabel('Top-p', { exact: true }).fill('3');
  await page.getByLabel('Top-p', { exact: true }).press('Tab');
  await expect.poll(() => page.getByLabel('Top-p', { exact: true }).inputValue()).toBe('1');
  await shot('intent-settings-advanced.png');
  await page.getByLabel('Variations').fill('1');
  await page.getByLabel('Variations').press('Tab');
  await page.getByLabel('Top-p', { exact: true }).fill('0.9');
  await page.getByLabel('Top-p', { exact: true }).press('Tab');
  await page.getByTestId('quality').selectOption('balanced');
  expect(await page.getByLabel('Steps for RGB').inputValue()).toBe('16');
  await page.getByTestId('advanced').locator('summary').click();
  expect(consoleErrors).toEqual([]);
});

test('Caption → picture: the prompt bar is the caption; Enter generates', async () => {
  await page.getByTestId('task-caption').click();
  // The caption is the prompt box above the warning: typed, not painted.
  expect(await page.getByTestId('intent-warning').textContent()).toBe('Caption is empty: type a description in the box above, or set it to ignore for an unconditional picture.');
  await page.getByTestId('prompt').fill('a red sphere and a yellow cylinder on the ground');
  // Typed, not yet committed (Enter or leaving the box commits it): Generate already reads it, and no "Caption is empty" under it.
  expect(await page.getByTestId('generate').isEnabled()).toBe(true);
  expect(await page.getByTestId('intent-warning').count()).toBe(0);
  await shot('intent-4a-caption-typed.png');
  await generateAndAccept(() => page.getByTestId('prompt').press('Enter'), 'intent-4-caption-staged.png');
  expect(await editor.syncOf('caption')).toBe('in sync');
  expect(await page.getByTestId('role-caption').inputValue()).toBe('condition');
  expect(await page.getByTestId('gallery-source').first().textContent()).toBe('from “a red sphere and a yellow cylinder on…”');
  await editor.selectLayer('caption');
  expect(await page.getByTestId('caption-text').inputValue()).toBe('a red sphere and a yellow cylinder on the ground');
  // No region line under a caption (the region tool marks pixel layers); the picture has one.
  expect(await page.getByTestId('mask-count').isVisible()).toBe(false);
  await editor.selectLayer(RGB);
  expect(await page.getByTestId('mask-count').textContent()).toBe('Region: whole layer');
  expect(consoleErrors).toEqual([]);
}, 240_000);

test('Fix a region: the region tool on RGB; only the marked part changes', async () => {
  await page.getByTestId('task-region').click();
  expect(await canvasView()).toBe(RGB);
  expect(await page.getByTestId('editor-canvas').getAttribute('data-tool')).toBe('mask');
  await page.getByTestId('brush-size').fill('20');
  await editor.drag([40, 40], [88, 40]);
  await editor.drag([40, 56], [88, 56]);
  expect(await page.getByTestId('task-region').getAttribute('aria-pressed')).toBe('true');
  expect(await page.getByTestId('generate').textContent()).toMatch(/Redo region/);
  const outside = [await editor.pixel(4, 4), await editor.pixel(124, 124)];
  await generateAndAccept(async () => {
    await page.getByTestId('generate').click();
    // The strip names the job as its button did (it read "Generate: RGB", as for a whole new picture).
    await expect.poll(() => page.getByTestId('staging').textContent(), { timeout: 240_000 }).toMatch(/Redo region: RGB/);
  }, 'intent-5-region-staged.png');
  expect([await editor.pixel(4, 4), await editor.pixel(124, 124)]).toEqual(outside);
  expect(await page.getByTestId('gallery-source').first().textContent()).toMatch(/^region redone, from /);

  // A whole-picture task picked now makes the whole picture: the region left marked is cleared in the
  // same step (it used to stay, the click did nothing visible and Generate still said "Redo region").
  await page.getByTestId('task-caption').click();
  expect(await page.getByTestId('task-caption').getAttribute('aria-pressed')).toBe('true');
  expect(await page.getByTestId('task-region').getAttribute('aria-pressed')).toBe('false');
  expect(await page.getByTestId('generate').textContent()).toBe('Generate');
  expect(await page.getByTestId('editor-status').textContent()).toBe('Region cleared: Caption → picture makes the whole picture (Ctrl+Z brings the region back).');
  expect(await page.getByTestId('clear-mask').count()).toBe(0);
  // The region tool is put down with the region: its token grid and "Paint the tokens to regenerate" stayed.
  expect(await page.getByTestId('editor-canvas').getAttribute('data-tool')).toBe('brush');
  expect(await page.getByTestId('tool-options').textContent()).not.toMatch(/Paint the tokens to regenerate/);
  await shot('intent-5c-caption-after-region.png');
  await page.getByTestId('undo').click();
  expect(await page.getByTestId('task-region').getAttribute('aria-pressed')).toBe('true');
  expect(await page.getByTestId('generate').textContent()).toMatch(/Redo region/);
  await page.getByTestId('clear-mask').click();
  await shot('intent-5b-region-feathered.png'); // the redone part fades into the rest across the token seam
  expect(consoleErrors).toEqual([]);
}, 240_000);

test('Photo → all layers: every other layer is predicted from the picture', async () => {
  await page.getByTestId('task-photo').click();
  // One name for the job: the button, the panel's button, the staging strip and the undo step.
  expect(await page.getByTestId('generate').textContent()).toMatch(/Derive all from RGB/);
  expect(await page.getByTestId('derive').textContent()).toBe('Derive all from RGB');
  await generateAndAccept(() => page.getByTestId('generate').click(), 'intent-6-photo-staged.png', async () => {
    expect(await page.getByTestId('staging').textContent()).toMatch(/Derive all from RGB:/);
  });
  expect(await page.getByTestId('undo').getAttribute('title')).toMatch(/Undo Derive all from RGB/);
  // Boxes and palette too: their coordinates and colours are special tokens of the model's vocabulary, once dropped as such.
  for (const id of ['tok_depth@128', 'tok_normal@128', 'tok_edge@128', SEMSEG, 'caption', 'det', 'color_palette']) expect(await editor.syncOf(id)).toBe('in sync');
  await shot('intent-7-photo-all-layers.png');
  const sources = await page.getByTestId('gallery-source').allTextContents();
  expect(sources[0]).toBe('from RGB');
  expect(sources.slice(-2)).toEqual(['from “a red sphere and a yellow cylinder on…”', 'from Segmentation']);
  await page.getByTestId('gallery').scrollIntoViewIfNeeded();
  // Each entry's actions on one row of their own: Use and Copy request at the same height, below the seed (they wrapped wherever the seed's line ended).
  for (const entry of await page.getByTestId('gallery-entry').all()) {
    const use = await entry.getByTestId('gallery-use').boundingBox();
    const copy = await entry.getByRole('button', { name: 'Copy request' }).boundingBox();
    const stamp = await entry.locator('.meta').boundingBox();
    expect(use?.y).toBe(copy?.y);
    expect(use?.y ?? 0).toBeGreaterThan((stamp?.y ?? 0) + (stamp?.height ?? 0) - 1);
  }
  await shot('intent-7b-gallery-sources.png');
  expect(consoleErrors).toEqual([]);
}, 240_000);

test('badges tell the truth: hand edits are never stale, derived layers go stale only when their source changes, the gallery marks what is shown', async () => {
  // After "Photo → all layers" every layer is in sync; outputs the model could not give are said on the layer.
  const onCanvas = (): Promise<number> => page.locator('[data-testid="gallery"] [data-testid="on-canvas"]').count();
  expect(await onCanvas()).toBe(2); // the region's RGB and the predicted layers; older pictures are not shown any more

  // A hand stroke on the picture: layers predicted from it go stale, the picture's own entry is no longer on the canvas.
  await editor.selectLayer(RGB);
  await page.keyboard.press('b');
  await page.getByTestId('brush-size').fill('12');
  await editor.drag([10, 10], [40, 20]);
  expect(await editor.syncOf(RGB)).toBe('in sync');
  for (const id of ['tok_depth@128', 'tok_normal@128', SEMSEG, 'caption']) expect(await editor.syncOf(id)).toBe('stale');
  expect(await onCanvas()).toBe(1);
  await shot('intent-8-stale-after-hand-edit.png');

  // Editing a stale layer by hand makes it the artist's own: in sync, and it stays so when the picture changes again.
  await editor.selectLayer('tok_depth@128');
  await editor.drag([60, 60], [70, 70]);
  expect(await editor.syncOf('tok_depth@128')).toBe('in sync');
  // The caption is a target here, so the prompt is shown as not used; the layer's own field edits it.
  expect(await page.getByTestId('prompt').isDisabled()).toBe(true);
  await editor.selectLayer('caption');
  await page.getByTestId('caption-text').fill('a green cone');
  await page.getByTestId('caption-text').press('Tab');
  expect(await editor.syncOf('caption')).toBe('in sync');
  await editor.selectLayer(RGB);
  await editor.drag([90, 90], [100, 100]);
  expect(await editor.syncOf('tok_depth@128')).toBe('in sync');
  expect(await editor.syncOf('caption')).toBe('in sync');

  // The status line clears itself.
  await expect.poll(() => page.getByTestId('editor-status').textContent(), { timeout: 10_000 }).toBe('');
  expect(consoleErrors).toEqual([]);
}, 60_000);
