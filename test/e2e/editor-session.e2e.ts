import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startBuiltHarness, type BuiltHarness } from './built-harness';
import { artifactsDir as artifacts, launchChromium, watchConsole } from './browser';
import { EditorPage } from './editor-page';

/**
 * A working session as an artist has it, through the file channel: undo and redo one step per
 * action, each named, and the title's unsaved mark gone when undone back to the save; Generate
 * pressed again on the same run taking the next seed (a typed one kept); a generation stopped with
 * Esc; the sketch painted while the picture is made (the view stays, the accepted picture is stale); Esc in a dialog keeps
 * a staged result; the crash copy kept until the artist chooses, even when they paint first; a
 * damaged file's error read in full at 1024×700; New asking before it drops a result waiting, and
 * no job of the old document landing in the new one.
 */
const SEMSEG = 'tok_semseg@128';
const RGB = 'tok_rgb@128';
const DEPTH = 'tok_depth@128';

let harness: BuiltHarness;
let browser: BrowserContext;
let page: Page;
let editor: EditorPage;
let consoleErrors: string[];
/** What the page asked (window.confirm), in order. */
const questions: string[] = [];

async function openPage(reuse?: Page): Promise<void> {
  page = reuse ?? (await browser.newPage());
  consoleErrors = watchConsole(page);
  editor = new EditorPage(page);
  // Confirmations ("… has unsaved changes. Discard them?") are accepted; each test says when one is expected.
  page.on('dialog', (d) => {
    questions.push(d.message());
    void d.accept();
  });
  await page.goto(harness.url);
  await page.getByText(/Inference host: ready/).waitFor({ timeout: 90_000 });
}

beforeAll(async () => {
  harness = await startBuiltHarness({});
  browser = await launchChromium({ width: 1440, height: 900 });
  await openPage(browser.pages()[0]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(artifacts, name) });
const status = (): Promise<string | null> => page.getByTestId('editor-status').textContent();
const undoTitle = (): Promise<string | null> => page.getByTestId('undo').getAttribute('title');
const gallery = (): Promise<number> => page.getByTestId('gallery-entry').count();
const view = (): Promise<string | null> => page.getByTestId('editor-canvas').getAttribute('data-view');

test('undo and redo: one step per action, each named on the button and in the status line', async () => {
  expect(await undoTitle()).toBe('Nothing to undo (Ctrl+Z)');
  await page.getByTestId('task-sketch').click();
  await page.getByTestId('class-sky').click();
  await editor.drag([64, 10], [64, 10], 1); // fill
  await page.keyboard.press('b');
  await page.getByTestId('class-ground').click();
  await editor.drag([0, 110], [128, 110]);
  const painted = await editor.pixel(64, 110);
  await page.keyboard.press('e');
  await editor.drag([40, 110], [60, 110]);
  await page.getByTestId(`role-${DEPTH}`).selectOption('condition');
  expect(await undoTitle()).toBe('Undo Set Depth to condition (Ctrl+Z)');

  // Ctrl+Z right after a role change takes the role back, and says so (it is easy to miss).
  await page.keyboard.press('Control+z');
  expect(await page.getByTestId(`role-${DEPTH}`).inputValue()).toBe('ignore');
  expect(await status()).toBe('Undone: Set Depth to condition');
  await page.keyboard.press('Control+y');
  expect(await page.getByTestId(`role-${DEPTH}`).inputValue()).toBe('condition');
  expect(await status()).toBe('Redone: Set Depth to condition');
  await page.keyboard.press('Control+z');

  const steps: string[] = [];
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Control+z');
    steps.push((await status()) ?? '');
  }
  expect(steps).toEqual(['Undone: Erase', 'Undone: Paint', 'Undone: Fill', 'Undone: Task: Sketch → picture', 'Nothing to undo']);
  expect(await page.getByTestId('undo').isDisabled()).toBe(true);
  expect(await page.getByTestId('redo').getAttribute('title')).toBe('Redo Task: Sketch → picture (Shift+Ctrl+Z / Ctrl+Y)');
  await shot('session-1-all-undone.png');
  for (let i = 0; i < 3; i++) await page.keyboard.press('Control+Shift+z');
  expect(await undoTitle()).toBe('Undo Paint (Ctrl+Z)');
  await expect.poll(() => editor.pixel(64, 110)).toEqual(painted);
  await page.keyboard.press('Control+Shift+z'); // the erase again; the role change stays undone
  expect(await undoTitle()).toBe('Undo Erase (Ctrl+Z)');

  // The title's • tells the truth: undone back to the saved state, the document is the file.
  await page.keyboard.press('Control+s'); // the first save picks the file (the harness: <name>.4mproj)
  await expect.poll(() => page.title()).toBe('untitled — 4M Studio');
  await page.keyboard.press('Control+z');
  await expect.poll(() => page.title()).toBe('• untitled — 4M Studio');
  await page.keyboard.press('Control+y');
  await expect.poll(() => page.title()).toBe('untitled — 4M Studio');
  expect(await page.getByTestId('save-project').textContent()).toBe('Save');

  // The view by keyboard: + and − zoom about the middle, 1 is actual pixels, 0 fits again.
  const zoom = async (): Promise<number> => parseInt((await page.getByTestId('zoom-readout').textContent()) ?? '', 10);
  const fit = await zoom();
  await page.keyboard.press('+');
  // (The readout is rounded, and Fit may be fractional: within a point.)
  await expect.poll(async () => Math.abs((await zoom()) - fit * 1.25)).toBeLessThanOrEqual(1);
  await page.keyboard.press('-');
  await expect.poll(zoom).toBe(fit);
  await page.keyboard.press('1');
  await expect.poll(zoom).toBe(100);
  await page.keyboard.press('0');
  await expect.poll(zoom).toBe(fit);
  expect(consoleErrors).toEqual([]);
});

test('Generate again on the same layers takes the next seed, a typed one is kept; Esc stops the job and the queue, nothing changes', async () => {
  await page.getByTestId('quality').selectOption('best');
  const undo = await undoTitle();
  await page.getByTestId('generate').click();
  await page.getByTestId('generation-progress').waitFor();
  // Before the host's first step report: "starting…", never "step 0/1".
  expect(await page.getByTestId('generation-progress').textContent()).toMatch(/· (starting…|step \d+\/32)$/);
  // A second click means "another one": the same request would make the same picture, so the job
  // takes the next seed, the seed field shows it and the panel says so.
  const seedField = page.getByTestId('seed');
  const first = Number(await seedField.inputValue());
  await page.getByTestId('generate').click();
  await page.getByTestId('queue').waitFor();
  const next = first + 1;
  expect(await page.getByTestId('generation-message').textContent()).toBe(`Same layers and settings as before: new seed ${next} for another picture. Run again on a gallery entry repeats one exactly.`);
  expect(await seedField.inputValue()).toBe(String(next));
  await shot('session-2a-same-run-queued.png');
  // A seed typed since is kept, even when it repeats the last run: that is on purpose.
  if ((await page.getByTestId('advanced').getAttribute('open')) === null) await page.getByTestId('advanced').locator('summary').click();
  await seedField.fill(String(next));
  await seedField.press('Tab');
  await page.getByTestId('generate').click();
  await expect.poll(() => page.getByTestId('queue').locator('li').count()).toBe(2);
  expect(await page.getByTestId('generation-message').textContent()).toMatch(/^Same layers, settings and seed as a picture made before \(the seed was set on purpose\), so the same picture/);
  expect(await seedField.inputValue()).toBe(String(next));
  await page.keyboard.press('Escape');
  await expect.poll(() => page.getByTestId('generation-message').textContent(), { timeout: 30_000 }).toBe('Generate cancelled; nothing changed.');
  expect(await page.getByTestId('generation-progress').count()).toBe(0);
  expect(await page.getByTestId('queue').count()).toBe(0);
  expect(await page.getByTestId('staging').count()).toBe(0);
  expect(await undoTitle()).toBe(undo);
  expect(consoleErrors).toEqual([]);
}, 90_000);

test('the sketch painted while the picture is made: the view stays on it, Esc in the shortcut list keeps the result, the accepted picture is stale', async () => {
  await page.getByTestId('quality').selectOption('balanced');
  await editor.selectLayer(SEMSEG);
  await page.getByTestId('generate').click();
  await page.getByTestId('generation-progress').waitFor();
  await expect.poll(view).toBe(RGB); // the job shows what it makes
  await editor.selectLayer(SEMSEG); // … and the artist goes back to the sketch
  await page.keyboard.press('b');
  await page.getByTestId('class-cube').click();
  await editor.drag([50, 60], [78, 60]);
  const sketch = await editor.pixel(64, 60);
  await page.getByTestId('staging').waitFor({ timeout: 120_000 });
  // The result waits in the strip; the canvas stays on the sketch being painted.
  expect(await view()).toBe(SEMSEG);
  expect(await editor.pixel(64, 60)).toEqual(sketch);
  expect(await page.getByTestId('staging-not-shown').textContent()).toMatch(/click the thumbnail to see it/);
  await shot('session-2-result-while-sketching.png');

  // Esc closes the shortcut list, and only that.
  await page.keyboard.press('?');
  await page.getByTestId('shortcuts-dialog').waitFor();
  await page.keyboard.press('Escape');
  await expect.poll(() => page.getByTestId('shortcuts-dialog').isVisible()).toBe(false);
  expect(await page.getByTestId('staging').count()).toBe(1);

  // Its thumbnail shows it; Accept puts it on RGB, stale: the sketch changed after it was sent.
  await page.getByTestId('staging-thumb-0').click();
  await expect.poll(view).toBe(RGB);
  expect(await page.getByTestId('staging-not-shown').count()).toBe(0);
  await page.getByTestId('staging-accept').click();
  await expect.poll(gallery).toBe(1);
  expect(await editor.syncOf(RGB)).toBe('stale');
  expect(await page.getByTestId('generation-message').textContent()).toMatch(/stale: Segmentation changed after it was sent$/);
  await shot('session-3-accepted-stale.png');
  expect(consoleErrors).toEqual([]);
}, 150_000);

test('the crash copy is kept until the artist chooses, even when they paint first', async () => {
  await page.waitForTimeout(2_500); // past the autosave debounce: the copy holds the accepted result
  await page.reload();
  await page.getByTestId('recovery-banner').waitFor({ timeout: 90_000 });
  expect(await page.getByTestId('recovery-banner').textContent()).toMatch(/Until you choose, it is kept and nothing else is autosaved/);
  // Painting on the fresh document before choosing: its autosave must not replace the copy on offer.
  await editor.selectLayer(SEMSEG);
  await page.keyboard.press('b');
  await editor.drag([10, 10], [40, 40]);
  await page.waitForTimeout(2_500);
  // At 1024 px the offer wraps, its buttons do not.
  await page.setViewportSize({ width: 1024, height: 700 });
  const button = await page.getByTestId('recover').boundingBox();
  expect(button?.height ?? 99).toBeLessThan(34);
  await shot('session-4-recovery-offer-1024.png');
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.reload();
  await page.getByTestId('recovery-banner').waitFor({ timeout: 90_000 });
  await page.getByTestId('recover').click();
  await expect.poll(gallery).toBe(1);
  expect(await editor.syncOf(RGB)).toBe('stale');
  expect(await page.title()).toMatch(/^• untitled/);
  // Recovered work is in no file: undoing never makes it read as saved.
  await editor.selectLayer(SEMSEG);
  await editor.drag([100, 100], [110, 110]);
  await page.keyboard.press('Control+z');
  expect(await page.title()).toMatch(/^• untitled/);
  expect(consoleErrors).toEqual([]);
}, 120_000);

test('a damaged project is refused with its name and reason in full at 1024×700; the work stays', async () => {
  await page.setViewportSize({ width: 1024, height: 700 });
  writeFileSync(join(harness.projectDir, 'broken.4mproj'), 'not a project at all');
  await page.keyboard.press('Control+o'); // the harness "picks" the newest file in its folder
  const error = page.getByTestId('editor-error');
  await expect.poll(() => error.textContent()).toBe('Could not open broken.4mproj: not a 4M Studio project: the file does not start with the project signature');
  // Not cut: the whole message is on screen.
  expect(await error.evaluate((el) => el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1)).toBe(true);
  const box = await error.boundingBox();
  expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(1024);
  expect(await gallery()).toBe(1);
  expect(await page.title()).toMatch(/^• untitled/);
  await shot('session-5-damaged-file-1024.png');
  expect(consoleErrors).toEqual([]);
});

test('New with a result waiting asks first and drops it; a job running for the old document never lands in the new one', async () => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.getByTestId('quality').selectOption('fast');
  await page.getByTestId('generate').click();
  await page.getByTestId('staging').waitFor({ timeout: 120_000 });
  questions.length = 0;
  await page.getByTestId('new-project').click();
  await expect.poll(() => questions).toEqual(['"untitled" has unsaved changes and a generated result not yet accepted. Discard them?']);
  await expect.poll(() => page.getByTestId('staging').count()).toBe(0);
  expect(await page.getByTestId('generation-message').textContent()).toBe('The jobs and results of the document you left were dropped; nothing in this one changed.');
  expect(await gallery()).toBe(0);
  expect(await page.title()).toBe('untitled — 4M Studio');

  // A job running when the document is replaced is stopped; nothing reaches the new document.
  await page.getByTestId('task-sketch').click();
  await page.getByTestId('class-sky').click();
  await editor.drag([64, 10], [64, 10], 1);
  await page.getByTestId('quality').selectOption('best');
  await page.getByTestId('generate').click();
  await page.getByTestId('generation-progress').waitFor();
  await page.getByTestId('new-project').click();
  await expect.poll(() => page.getByTestId('generation-progress').count(), { timeout: 30_000 }).toBe(0);
  await page.waitForTimeout(500);
  expect(await page.getByTestId('staging').count()).toBe(0);
  expect(await editor.syncOf(RGB)).toBe('empty');
  await shot('session-6-new-drops-old-results.png');

  // What the panel said of the document left behind goes with it ("Accepted RGB (seed 1234)"
  // stayed under the new, empty document, and under one opened after it).
  await page.getByTestId('task-sketch').click();
  await page.getByTestId('class-sky').click();
  await editor.drag([64, 10], [64, 10], 1);
  await page.getByTestId('quality').selectOption('fast');
  await page.getByTestId('generate').click();
  await page.getByTestId('staging').waitFor({ timeout: 120_000 });
  await page.getByTestId('staging-accept').click();
  await expect.poll(() => page.getByTestId('generation-message').textContent()).toMatch(/^Accepted RGB/);
  await page.getByTestId('new-project').click();
  await expect.poll(() => page.getByTestId('generation-message').count()).toBe(0);
  expect(await gallery()).toBe(0);
  await shot('session-7-new-says-nothing-of-the-old.png');
  expect(consoleErrors).toEqual([]);
}, 180_000);

test('New after marking a region starts with the brush: the region tool on an empty picture marks nothing to redo', async () => {
  await editor.selectLayer('tok_rgb@128');
  await page.locator('body').evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('m');
  expect(await page.getByTestId('editor-canvas').getAttribute('data-tool')).toBe('mask');
  await page.getByTestId('new-project').click();
  await expect.poll(() => page.getByTestId('editor-canvas').getAttribute('data-tool')).toBe('brush');
  expect(await page.getByTestId('tool-options').textContent()).not.toMatch(/Paint the tokens to regenerate/);
  expect(consoleErrors).toEqual([]);
});

test('New (Ctrl+N) after working on the palette selects RGB, whose tools work: not the empty palette with every tool greyed', async () => {
  await editor.selectLayer('color_palette');
  expect(await page.getByTestId('tool-brush').isDisabled()).toBe(true);
  // Ctrl+N is New (the desktop app's menu leaves it to the editor, which had no binding for it).
  await page.keyboard.press('Control+n');
  await expect.poll(() => page.getByTestId('layer-tok_rgb@128').getAttribute('class')).toMatch(/\bactive\b/);
  expect(await page.getByTestId('tool-brush').isEnabled()).toBe(true);
  expect(await page.getByTestId('tool-hint').count()).toBe(0);
  await shot('session-8-new-after-palette.png');
  expect(consoleErrors).toEqual([]);
});
