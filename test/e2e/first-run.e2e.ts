import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { artifactsDir as artifacts, type StudioSession } from './browser';
import { openEditor, type EditorPage } from './editor-page';

/**
 * A new artist's first run with the shipped model, at 1440×900 and at a small window (1024×700):
 * the header's Models button and status stay in the window, ? lists the shortcuts, an empty sketch
 * says how to paint it, Enter after clicking Generate accepts the result (it used to run the job
 * again), and "Fix a region" before a region is marked waits for one.
 */
const SEMSEG = 'tok_semseg@128';

let studio: StudioSession;
let page: Page;
let editor: EditorPage;
let consoleErrors: string[];

beforeAll(async () => {
  ({ studio, editor } = await openEditor({ width: 1440, height: 900 }));
  ({ page, consoleErrors } = studio);
}, 120_000);

afterAll(() => studio?.close());

beforeEach(() => page.setViewportSize({ width: 1440, height: 900 }));

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(artifacts, name) });
const gallery = (): Promise<number> => page.locator('[data-testid="gallery"] li').count();

async function rightEdge(testId: string): Promise<number> {
  const box = await page.getByTestId(testId).boundingBox();
  if (!box) throw new Error(`${testId} is not visible`);
  return box.x + box.width;
}

test('at 1024×700 the header wraps: Models and the host status stay in the window', async () => {
  // A fresh document points at the tasks (it used to call its all-ignored roles "your own mix").
  expect(await page.getByTestId('task-help').textContent()).toBe('Start with a task: each one sets what you paint and what the model makes.');
  for (const [width, height] of [[1440, 900], [1024, 700]] as const) {
    await page.setViewportSize({ width, height });
    expect(await rightEdge('open-models')).toBeLessThanOrEqual(width);
    const status = page.getByText(/Inference host: ready/);
    const box = await status.boundingBox();
    expect(box).not.toBeNull();
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(width);
    expect(await status.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    await shot(`first-run-1-start-${width}.png`);
  }
  expect(consoleErrors).toEqual([]);
});

test('? lists the shortcuts (tools, canvas, generate, project); Escape closes it and focus goes back', async () => {
  await page.getByTestId('open-shortcuts').focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('shortcuts-dialog');
  await dialog.waitFor();
  const text = (await dialog.textContent()) ?? '';
  for (const line of ['Fill', 'Region mask', 'Accept the staged result', 'Ctrl+S', 'Shift+Ctrl+M']) expect(text).toContain(line);
  await shot('first-run-2-shortcuts.png');
  await page.keyboard.press('Escape');
  await expect.poll(() => dialog.isVisible()).toBe(false);
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('open-shortcuts');
  // The ? key itself, from the canvas; typed in the prompt it is just a character.
  await page.getByTestId('editor-canvas').hover();
  await page.locator('body').press('Shift+Slash');
  await dialog.waitFor();
  await page.getByTestId('close-shortcuts').click();
  await page.getByTestId('prompt').press('Shift+Slash');
  expect(await dialog.isVisible()).toBe(false);
  await page.getByTestId('prompt').fill('');
  expect(consoleErrors).toEqual([]);
});

test('Sketch → picture: the empty sketch says how to paint it; Enter after clicking Generate accepts, it does not generate again', async () => {
  await page.getByTestId('task-sketch').click();
  expect(await page.getByTestId('empty-view-hint').textContent()).toMatch(/^Segmentation is empty: pick a class above, then fill \(G\) or paint \(B\) it/);
  await shot('first-run-3-empty-sketch.png');
  await page.getByTestId('class-sky').click();
  await editor.drag([64, 10], [64, 10], 1);
  await page.keyboard.press('b');
  await page.getByTestId('brush-size').fill('40');
  await page.getByTestId('class-ground').click();
  await editor.drag([0, 110], [128, 110]);
  await page.getByTestId('class-cube').click();
  await editor.drag([50, 60], [78, 60]);
  const before = await gallery();
  // The number beside the condition is named as its weight.
  expect(await page.locator('.conds label').first().textContent()).toMatch(/^\s*Segmentation weight\s*$/);
  await page.getByTestId('generate').click(); // the mouse leaves focus on Generate
  await page.getByTestId('staging').waitFor({ timeout: 240_000 });
  await expect.poll(() => page.getByTestId('generation-progress').count(), { timeout: 240_000 }).toBe(0);
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('staging-accept');
  await shot('first-run-4-staged-accept-focused.png');
  await page.keyboard.press('Enter');
  await expect.poll(gallery).toBe(before + 1);
  expect(await page.getByTestId('staging').count()).toBe(0);
  expect(await page.getByTestId('generation-progress').count()).toBe(0); // no second job
  expect(await editor.syncOf(SEMSEG)).toBe('in sync');
  expect(consoleErrors).toEqual([]);
});

test('Fix a region before a region is marked: the preset stays chosen and Generate waits for a region', async () => {
  await page.getByTestId('task-region').click();
  expect(await page.getByTestId('task-region').getAttribute('aria-pressed')).toBe('true');
  expect(await page.getByTestId('task-sketch').getAttribute('aria-pressed')).toBe('false');
  expect(await page.getByTestId('task-help').textContent()).toMatch(/^Mark the part of the picture to redo/);
  expect(await page.getByTestId('generate').textContent()).toBe('Redo region');
  expect(await page.getByTestId('generate').isDisabled()).toBe(true);
  expect(await page.getByTestId('intent-warning').textContent()).toBe('Mark the part of the picture to redo with the region tool (M) first.');
  await shot('first-run-5-region-unmarked.png');
  await editor.drag([40, 40], [90, 90]);
  await expect.poll(() => page.getByTestId('generate').isDisabled()).toBe(false);
  expect(await page.getByTestId('intent-warning').count()).toBe(0);
  await page.setViewportSize({ width: 1024, height: 700 });
  await shot('first-run-6-region-marked-1024.png');
  expect(consoleErrors).toEqual([]);
});
