import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { artifactsDir as artifacts, type StudioSession } from './browser';
import { openEditor, type EditorPage } from './editor-page';

/**
 * A new artist's first run with the shipped model, at 1440×900 and at small windows (1024×700,
 * 900×600): the header's Models button, its status and the task presets stay in the window, ?
 * lists the shortcuts, an empty sketch says how to paint it, Enter after clicking Generate accepts
 * the result (it used to run the job again), and "Fix a region" before a region is marked waits
 * for one.
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

test('at 1024×700 and 900×600 the header wraps: Models, the host status and the task presets stay in the window', async () => {
  // A fresh document points at the tasks (it used to call its all-ignored roles "your own mix").
  expect(await page.getByTestId('task-help').textContent()).toBe('Start with a task: each one sets what you paint and what the model makes.');
  // The quality shown before any task is the one a task will use (it read "Fast", then "Balanced").
  expect(await page.getByTestId('quality').inputValue()).toBe('balanced');
  // Derive all from RGB is greyed on an empty RGB, and says why on screen (it gave no reason at all).
  expect(await page.getByTestId('derive').isDisabled()).toBe(true);
  expect(await page.getByTestId('derive-why').textContent()).toBe('RGB is empty: paint it or import a picture, then derive the other layers from it.');
  expect(await page.getByTestId('derive').getAttribute('aria-describedby')).toBe('derive-why');
  for (const [width, height] of [[1440, 900], [1024, 700], [900, 600]] as const) {
    await page.setViewportSize({ width, height });
    expect(await rightEdge('open-models')).toBeLessThanOrEqual(width);
    // Every task preset in full inside the prompt bar (at 900 px "Fix a region" ran under the side panel, cut).
    const bar = await rightEdge('prompt-bar');
    for (const task of ['task-sketch', 'task-photo', 'task-caption', 'task-region']) expect(await rightEdge(task)).toBeLessThanOrEqual(bar);
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
  // A native dialog's close event (which gives focus back) fires a task after it hides.
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('open-shortcuts');
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
  expect(await page.getByTestId('quality').inputValue()).toBe('balanced');
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
  // The status line does not repeat the task's help (shown above), and stays one line.
  expect(await page.getByTestId('editor-status').textContent()).not.toMatch(/Mark the part of the picture/);
  expect(await footerIsOneLine()).toBe(true);
  expect(consoleErrors).toEqual([]);
});

/** The footer is one text line high, and no message in it wraps. */
function footerIsOneLine(): Promise<boolean> {
  return page.getByTestId('editor-status').evaluate((el) => {
    const footer = el.closest('footer');
    const lines = footer ? Array.from(footer.querySelectorAll<HTMLElement>(':scope > span')) : [];
    return (footer?.getBoundingClientRect().height ?? 99) < 34 && lines.every((s) => s.getBoundingClientRect().height < 24);
  });
}

test('at 1024×700 a long status with progress stays one line (… with the full text on hover); at 1440×900 every gallery entry is reachable', async () => {
  await page.setViewportSize({ width: 1024, height: 700 });
  const long = 'Exported RGB, Depth, Surface normals, Edges, Segmentation, Bounding boxes, Caption and Colour palette at 512 × 512 to a-very-long-project-name-for-the-status-line.psd';
  await page.getByTestId('editor-status').evaluate((el, text) => (el.textContent = text), long);
  await page.getByTestId('generate').click();
  await page.getByTestId('footer-progress').waitFor({ timeout: 60_000 });
  expect(await footerIsOneLine()).toBe(true);
  await shot('first-run-7-status-progress-1024.png');
  await page.getByTestId('staging').waitFor({ timeout: 240_000 });
  await expect.poll(() => page.getByTestId('generation-progress').count(), { timeout: 240_000 }).toBe(0);
  await page.getByTestId('staging-accept').click();
  await expect.poll(gallery).toBe(2);

  await page.setViewportSize({ width: 1440, height: 900 });
  // No inner scroller cuts an entry off: the gallery grows and the side panel scrolls.
  expect(await page.getByTestId('gallery').evaluate((el) => el.scrollHeight <= el.clientHeight + 1)).toBe(true);
  const last = page.getByTestId('gallery-entry').last();
  // Tab from the first entry through its buttons to the last one: focus scrolls it into view.
  await page.evaluate(() => document.querySelector('aside.side')?.scrollTo(0, 0));
  await page.getByTestId('gallery-entry').first().focus();
  for (let i = 0; i < 30 && !(await last.evaluate((li) => li === document.activeElement)); i++) await page.keyboard.press('Tab');
  expect(await last.evaluate((li) => li === document.activeElement)).toBe(true);
  const inView = await last.evaluate((li) => {
    const side = li.closest('aside')?.getBoundingClientRect();
    const box = li.getBoundingClientRect();
    return side !== undefined && box.top >= side.top - 1 && box.bottom <= side.bottom + 1;
  });
  expect(inView).toBe(true);
  await shot('first-run-8-gallery-two-1440.png');
  expect(consoleErrors).toEqual([]);
});

test('Photo → all layers: the caption is a target, so the prompt is shown as not used, and the typed text is kept', async () => {
  await page.getByTestId('task-caption').click();
  await page.getByTestId('prompt').fill('a red cube on the ground');
  await page.getByTestId('prompt').press('Tab');
  await page.getByTestId('task-photo').click();
  const prompt = page.getByTestId('prompt');
  expect(await prompt.isDisabled()).toBe(true);
  expect(await prompt.inputValue()).toBe('a red cube on the ground');
  expect(await page.getByTestId('prompt-unused').textContent()).toMatch(/^Not used: the caption is set to generate/);
  expect(await prompt.evaluate((el) => getComputedStyle(el).textDecorationLine)).toBe('line-through');
  await shot('first-run-9-photo-prompt-unused.png');
  // Back to a task that reads the words: the prompt is the artist's again, text intact.
  await page.getByTestId('task-caption').click();
  expect(await prompt.isDisabled()).toBe(false);
  expect(await prompt.inputValue()).toBe('a red cube on the ground');
  expect(await page.getByTestId('prompt-unused').count()).toBe(0);
  expect(consoleErrors).toEqual([]);
});
