import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { BuiltHarness } from './built-harness';
import { artifactsDir as artifacts, type StudioSession } from './browser';
import { openEditor, type EditorPage } from './editor-page';

/**
 * Generation through the real inference host and the shipped world-4m-small package (its
 * weights may still be untrained: outputs are noise, the mechanics are what is checked):
 * sketch → generate RGB with step previews → undo/redo → save/reopen; region regeneration;
 * derive every layer from an imported photo; a host crash mid-job loses no edits.
 */
const SEMSEG = 'tok_semseg@128';
const RGB = 'tok_rgb@128';

let studio: StudioSession;
let harness: BuiltHarness;
let page: Page;
let editor: EditorPage;
let consoleErrors: string[];

beforeAll(async () => {
  ({ studio, editor } = await openEditor({ width: 1280, height: 800 }));
  ({ harness, page, consoleErrors } = studio);
}, 120_000);

afterAll(() => studio?.close());

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(artifacts, name) });

async function setRole(id: string, role: 'condition' | 'generate' | 'ignore'): Promise<void> {
  await page.getByTestId(`role-${id}`).selectOption(role);
}

/** Waits for the job(s) to finish into the staging strip, then accepts the shown result. */
async function waitForResult(previousCount: number, staged = 1): Promise<void> {
  await page.getByTestId('staging').waitFor({ timeout: 240_000 });
  await expect.poll(() => page.getByTestId('generation-progress').count(), { timeout: 240_000, interval: 250 }).toBe(0);
  expect(await page.getByTestId('generation-error').count()).toBe(0);
  await page.getByTestId('staging-accept').click();
  await expect.poll(() => page.locator('[data-testid="gallery"] li').count()).toBe(previousCount + staged);
}

/** The raw sampling settings live under Advanced. */
async function advanced(): Promise<void> {
  if ((await page.getByTestId('advanced').getAttribute('open')) === null) await page.getByTestId('advanced').locator('summary').click();
}

const canvasView = (): Promise<string | null> => page.getByTestId('editor-canvas').getAttribute('data-view');

test('sketch segmentation → generate RGB: step previews on the canvas, the result staged there, accept → undo → redo → save → reopen', async () => {
  await editor.selectLayer(SEMSEG);
  await page.keyboard.press('g');
  await page.getByTestId('class-sky').click();
  await editor.drag([64, 10], [64, 10], 1); // fill the empty map with sky
  await page.keyboard.press('b');
  await page.getByTestId('brush-size').fill('40');
  await page.getByTestId('class-ground').click();
  await editor.drag([0, 110], [128, 110]);
  await page.getByTestId('class-cube').click();
  await editor.drag([50, 60], [78, 60]);
  await setRole(SEMSEG, 'condition');
  await setRole(RGB, 'generate');
  const sketch = await editor.pixel(64, 60);
  const undoBefore = await page.getByTestId('undo').getAttribute('title');
  await shot('generate-1-sketch.png');

  await page.getByTestId('generate').click();
  await page.getByTestId('generation-progress').waitFor();
  // The canvas switches to the layer being generated and draws its step previews there,
  // without touching the document (history and sync badge as they were).
  await expect.poll(canvasView).toBe(RGB);
  await expect.poll(() => page.getByTestId('editor-canvas').getAttribute('data-previewing'), { timeout: 60_000, interval: 50 }).toBe(RGB);
  const preview = await editor.pixel(64, 40);
  expect(preview[3]).toBe(255);
  expect(await page.getByTestId('undo').getAttribute('title')).toBe(undoBefore);
  await shot('generate-2-step-preview.png');

  // Finished: the result waits in the staging strip, shown on the canvas, not yet in the document.
  await page.getByTestId('staging').waitFor({ timeout: 240_000 });
  await expect.poll(() => page.getByTestId('generation-progress').count(), { timeout: 60_000 }).toBe(0);
  const staged = await editor.pixel(64, 60);
  expect(staged[3]).toBe(255);
  expect(staged).not.toEqual(sketch); // the picture, not the sketch
  expect(await editor.syncOf(RGB)).toBe('empty');
  expect(await page.getByTestId('undo').getAttribute('title')).toBe(undoBefore);
  await shot('generate-3-staged.png');

  await page.getByTestId('staging-accept').click();
  await expect.poll(() => page.locator('[data-testid="gallery"] li').count()).toBe(1);
  expect(await page.getByTestId('staging').count()).toBe(0);
  expect(await editor.syncOf(RGB)).toBe('in sync');
  expect(await page.getByTestId('undo').getAttribute('title')).toMatch(/Undo Generate/);
  const generated = await editor.pixel(64, 40);
  expect(await editor.pixel(64, 60)).toEqual(staged);
  await shot('generate-4-accepted.png');

  // Accepting was one step: undo takes the picture (and its gallery entry) back.
  await page.keyboard.press('Control+z');
  expect(await editor.syncOf(RGB)).toBe('empty');
  expect(await page.locator('[data-testid="gallery"] li').count()).toBe(0);
  await page.getByTestId('empty-view-hint').waitFor();
  await shot('generate-5-undone.png');
  await page.keyboard.press('Control+Shift+z');
  expect(await editor.syncOf(RGB)).toBe('in sync');
  await expect.poll(() => editor.pixel(64, 40)).toEqual(generated);

  // The sketch over the picture at 40 %: an overlay, adjustable.
  await page.getByTestId('overlay-layer').selectOption(SEMSEG);
  await page.getByTestId('overlay-opacity').fill('40');
  await expect.poll(() => editor.pixel(64, 60)).not.toEqual(staged);
  await shot('generate-6-sketch-overlay-40.png');
  await page.getByTestId('overlay-layer').selectOption('');
  await expect.poll(() => editor.pixel(64, 60)).toEqual(staged);

  const first = await editor.save('generated');
  await page.reload();
  await page.getByTestId('layer-list').waitFor();
  await page.getByTestId('open-file').setInputFiles(first);
  await expect.poll(() => page.getByTestId('editor-status').textContent()).toMatch(/Opened generated\.4mproj/);
  // The selected layer is the one shown.
  expect(await canvasView()).toBe(await page.locator('[data-testid="layer-list"] li.active').getAttribute('data-testid').then((t) => t?.replace(/^layer-/, '')));
  await editor.selectLayer(RGB);
  await expect.poll(() => editor.pixel(64, 40)).toEqual(generated);
  expect(await page.locator('[data-testid="gallery"] li').count()).toBe(1);
  const second = await editor.save('generated-again');
  expect(readFileSync(second).equals(readFileSync(first))).toBe(true);
  await shot('generate-7-reopened.png');
  expect(consoleErrors).toEqual([]);
}, 240_000);

test('generate a second result, remove it (× and Delete), undo, redo: the layers never change; the kept sketch is a PNG in the file', async () => {
  const entries = page.locator('[data-testid="gallery"] li');
  const count = await entries.count();
  await editor.selectLayer(RGB);
  await page.getByTestId('generate').click();
  await waitForResult(count);
  const newest = entries.first(); // newest first
  await expect.poll(() => newest.getByTestId('on-canvas').count()).toBe(1);
  const seed = await newest.locator('.meta').textContent();
  const points: [number, number][] = [[64, 40], [10, 10], [120, 100]];
  const canvasNow = (): Promise<number[][]> => Promise.all(points.map(([x, y]) => editor.pixel(x, y)));
  const shown = await canvasNow();

  // Use on the older result puts it on the canvas and says which; the "on canvas" mark moves to it.
  // (Generate pressed on the same layers took another seed, so the two pictures differ.)
  const older = entries.nth(1);
  const olderSeed = /seed (\d+)/.exec((await older.locator('.meta').textContent()) ?? '')?.[1];
  expect(olderSeed).not.toBe(/seed (\d+)/.exec(seed ?? '')?.[1]);
  await older.getByRole('button', { name: /^Use this result/ }).click();
  await expect.poll(() => page.getByTestId('generation-message').textContent()).toBe(`Using RGB (seed ${olderSeed}) from the gallery`);
  expect(await page.getByTestId('undo').getAttribute('title')).toMatch(new RegExp(`^Undo Use RGB \\(seed ${olderSeed}\\) from the gallery`));
  await expect.poll(() => older.getByTestId('on-canvas').count()).toBe(1);
  expect(await newest.getByTestId('on-canvas').count()).toBe(0);
  expect(await canvasNow()).not.toEqual(shown);
  await shot('gallery-use-older.png');
  await newest.getByRole('button', { name: /^Use this result/ }).click();
  await expect.poll(() => newest.getByTestId('on-canvas').count()).toBe(1);
  await expect.poll(canvasNow).toEqual(shown);

  // The file keeps the sketch the job sent once, as PNG.
  const file = await editor.save('two-results');
  const bytes = new Uint8Array(readFileSync(file));
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
  const header = JSON.parse(Buffer.from(bytes.subarray(16, 16 + headerLength)).toString('utf8')) as { gallery: { inputs: { width: number; height: number; png?: { length: number }; rgba?: unknown }[] }[] };
  const kept = header.gallery.flatMap((e) => e.inputs);
  expect(kept.length).toBeGreaterThan(0);
  expect(kept.every((p) => p.png && !p.rgba)).toBe(true);
  const distinct = new Map(kept.map((p) => [JSON.stringify(p.png), p]));
  const raw = [...distinct.values()].reduce((n, p) => n + p.width * p.height * 4 - (p.png?.length ?? 0), 0);
  console.log(`two-results.4mproj: ${bytes.length} bytes with kept pixels as PNG; ${bytes.length + raw} bytes as raw RGBA (${distinct.size} kept picture(s))`);
  await expect.poll(() => page.title()).not.toMatch(/^•/);

  // × on the result that is on the canvas: the gallery loses it, the layers keep it.
  await newest.getByTestId('gallery-remove').click();
  await expect.poll(() => entries.count()).toBe(count);
  expect(await canvasNow()).toEqual(shown);
  expect(await editor.syncOf(RGB)).toBe('in sync');
  expect(await page.getByTestId('undo').getAttribute('title')).toMatch(/^Undo Remove result \(seed/);
  await expect.poll(() => page.title()).toMatch(/^•/);
  await expect.poll(() => page.getByTestId('editor-status').textContent()).toMatch(/Removed the result .* Ctrl\+Z brings it back/);
  await shot('gallery-remove-1-removed.png');

  await page.keyboard.press('Control+z');
  await expect.poll(() => entries.count()).toBe(count + 1);
  // The undo says what it did; "Removed … Ctrl+Z brings it back" is no longer true and goes.
  await expect.poll(() => page.getByTestId('editor-status').textContent()).toMatch(/^Undone: Remove result \(seed/);
  expect(await newest.locator('.meta').textContent()).toBe(seed);
  expect(await newest.getByTestId('on-canvas').count()).toBe(1);
  expect(await canvasNow()).toEqual(shown);
  await shot('gallery-remove-2-undone.png');
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(() => entries.count()).toBe(count);
  await page.keyboard.press('Control+z');
  await expect.poll(() => entries.count()).toBe(count + 1);

  // Delete on the focused entry removes it; the keyboard moves on to the next entry.
  await newest.focus();
  await page.keyboard.press('Delete');
  await expect.poll(() => entries.count()).toBe(count);
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('gallery-entry');
  expect(await canvasNow()).toEqual(shown);
  await shot('gallery-remove-3-keyboard.png');
  expect(consoleErrors).toEqual([]);
}, 300_000);

test('discard drops a staged result; variations flip with the arrows', async () => {
  await editor.selectLayer(RGB);
  const before = await editor.pixel(64, 40);
  const gallery = await page.locator('[data-testid="gallery"] li').count();
  await advanced();
  await page.getByLabel('Variations').fill('2');
  await page.getByLabel('Variations').press('Tab');
  await page.getByTestId('generate').click();
  // The progress says both are being made (side by side, through the same steps).
  await expect.poll(() => page.getByTestId('generation-progress').textContent(), { interval: 50 }).toMatch(/Generate · RGB · (step \d+\/16|starting…) · 2 variations/);
  await shot('staging-variations-running.png');
  await page.getByTestId('staging').waitFor({ timeout: 240_000 });
  await expect.poll(() => page.getByTestId('staging-index').textContent()).toBe('1 / 2');
  const one = await editor.pixel(64, 40);
  await page.getByTestId('staging-next').click();
  await expect.poll(() => page.getByTestId('staging-index').textContent()).toBe('2 / 2');
  await expect.poll(() => editor.pixel(64, 40)).not.toEqual(one);
  await shot('staging-variation-2.png');
  await page.getByTestId('staging-discard').click();
  expect(await page.getByTestId('staging').count()).toBe(0);
  await expect.poll(() => editor.pixel(64, 40)).toEqual(before);
  expect(await page.locator('[data-testid="gallery"] li').count()).toBe(gallery);
  await expect.poll(() => page.getByTestId('generation-message').textContent()).toMatch(/Discarded 2 results; nothing changed/);
  await shot('staging-discarded.png');
  // An unrelated edit moves on from that line (it sat there long after); undoing it does too.
  await editor.selectLayer(SEMSEG);
  await page.keyboard.press('b');
  await editor.drag([100, 100], [110, 104]);
  await expect.poll(() => page.getByTestId('generation-message').count()).toBe(0);
  await shot('staging-discarded-then-painted.png');
  await page.keyboard.press('Control+z');
  await page.getByLabel('Variations').fill('1');
  await page.getByLabel('Variations').press('Tab');
  expect(consoleErrors).toEqual([]);
}, 240_000);

test('undo while a result waits: the layer changed under it flashes and is named; a condition undone marks it made from an older state', async () => {
  const status = () => page.getByTestId('editor-status').textContent();
  const gallery = await page.locator('[data-testid="gallery"] li').count();
  // A picture accepted (another seed: not the picture RGB holds), then a stroke on the sketch: two steps to undo.
  await editor.selectLayer(RGB);
  const before = await editor.pixel(64, 40);
  await advanced();
  const seed = await page.getByLabel('Seed', { exact: true }).inputValue();
  await page.getByLabel('Seed', { exact: true }).fill('7');
  await page.getByLabel('Seed', { exact: true }).press('Tab');
  await page.getByTestId('generate').click();
  await waitForResult(gallery);
  const accepted = await editor.pixel(64, 40);
  expect(accepted).not.toEqual(before);
  await editor.selectLayer(SEMSEG);
  await page.keyboard.press('b');
  await page.getByTestId('class-sphere').click();
  await editor.drag([20, 20], [40, 30]);
  // Another result for RGB, waiting in the strip: it says nothing changed yet.
  await page.getByTestId('generate').click();
  await page.getByTestId('staging').waitFor({ timeout: 240_000 });
  await expect.poll(() => page.getByTestId('generation-progress').count(), { timeout: 240_000, interval: 250 }).toBe(0);
  await expect.poll(canvasView).toBe(RGB);
  const waiting = await editor.pixel(64, 40);
  expect(await page.getByTestId('staging-older').count()).toBe(0);
  expect(await page.getByTestId('staging-under').count()).toBe(0);

  // Undo the stroke: a condition of the waiting result changed, so it now shows an older state.
  await page.keyboard.press('Control+z');
  await expect.poll(status).toBe('Undone: Paint');
  await expect.poll(() => page.getByTestId('staging-older').textContent()).toBe('· made from an older Segmentation');
  // Undo the accepted picture: RGB changes under the result, which the canvas still shows. The status, the strip and the row say so.
  await page.keyboard.press('Control+z');
  await expect.poll(status).toBe('Undone: Generate RGB (seed 7) · RGB changed under the waiting result (Discard to see it)');
  await expect.poll(() => page.getByTestId('staging-under').textContent()).toBe('· RGB under it changed since (Discard to see)');
  expect(await page.getByTestId(`layer-${RGB}`).getAttribute('data-flash')).not.toBeNull();
  expect(await page.getByTestId(`layer-${SEMSEG}`).getAttribute('data-flash')).toBeNull();
  expect(await editor.pixel(64, 40)).toEqual(waiting);
  await shot('generate-undo-under-staged.png');
  // Discard shows what RGB holds now (the picture before the one undone); redo puts both steps back.
  await page.getByTestId('staging-discard').click();
  await expect.poll(() => editor.pixel(64, 40)).toEqual(before);
  await page.keyboard.press('Control+Shift+z');
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(() => editor.pixel(64, 40)).toEqual(accepted);
  await expect.poll(status).toBe('Redone: Paint');
  await page.getByLabel('Seed', { exact: true }).fill(seed);
  await page.getByLabel('Seed', { exact: true }).press('Tab');
  expect(consoleErrors).toEqual([]);
}, 300_000);

test('mask a region of RGB and regenerate only it', async () => {
  await editor.selectLayer(RGB);
  await page.keyboard.press('m');
  await page.getByTestId('brush-size').fill('20');
  await editor.drag([40, 40], [88, 40]);
  await editor.drag([40, 56], [88, 56]);
  const outside = [await editor.pixel(8, 8), await editor.pixel(120, 120), await editor.pixel(64, 100)];
  const inside = await editor.pixel(64, 48);
  // While marking, the region is tinted (a token's middle: (68, 44) is inside, not on a grid line).
  await expect.poll(() => editor.overlayAlpha(68, 44)).toBeGreaterThan(60);
  await shot('region-1-mask.png');
  const gallery = await page.locator('[data-testid="gallery"] li').count();
  await page.getByTestId('generate').click();
  // The result waiting in the strip is not under the pink tint (it covered exactly the new
  // pixels): the outline and grid still say where the region is.
  await page.getByTestId('staging').waitFor({ timeout: 240_000 });
  await expect.poll(() => editor.overlayAlpha(68, 44)).toBe(0);
  await shot('region-2-staged.png');
  await page.getByTestId('staging-discard').click();
  await expect.poll(() => editor.overlayAlpha(68, 44)).toBeGreaterThan(60); // back to marking
  await page.getByTestId('generate').click();
  await waitForResult(gallery);
  // Its undo step says what it did, as the others do.
  expect(await page.getByTestId('undo').getAttribute('title')).toMatch(/^Undo Regenerate region of RGB/);
  expect(await editor.syncOf(RGB)).toBe('in sync');
  expect([await editor.pixel(8, 8), await editor.pixel(120, 120), await editor.pixel(64, 100)]).toEqual(outside);
  expect(await editor.pixel(64, 48)).not.toEqual(inside);
  // Accepted: still the outline only, until the mask is edited again.
  expect(await editor.overlayAlpha(68, 44)).toBe(0);
  await shot('region-3-regenerated.png');
  await editor.drag([8, 120], [8, 120], 1);
  await expect.poll(() => editor.overlayAlpha(68, 44)).toBeGreaterThan(60);
  await shot('region-4-marking-again.png');
  await page.getByTestId('clear-mask').click();
  expect(consoleErrors).toEqual([]);
}, 300_000);

test('a per-target temperature travels with the request and comes back on recall', async () => {
  const count = await page.locator('[data-testid="gallery"] li').count();
  await advanced();
  await page.getByTestId(`target-settings-${RGB}`).click();
  const field = page.getByTestId(`override-temperature-${RGB}`);
  await field.fill('0.4');
  await field.press('Tab'); // commits the change
  await expect.poll(() => page.getByTestId(`target-settings-${RGB}`).getAttribute('class')).toMatch(/active/);
  await shot('per-target-1-override.png');
  const independent = page.getByTestId('independent-targets');
  await independent.check(); // "each target from the conditions only" travels with the request too
  await page.getByTestId('generate').click();
  await waitForResult(count);
  // Change the shared values, then recall: the result's one target used 0.4, which becomes the shared value.
  const shared = page.getByLabel('Temperature', { exact: true });
  await shared.fill('1.5');
  await independent.uncheck();
  await page.locator('[data-testid="gallery"] li').first().getByTestId('recall').click();
  await expect.poll(() => shared.inputValue()).toBe('0.4');
  await expect.poll(() => independent.isChecked()).toBe(true);
  await independent.uncheck();
  await expect.poll(() => page.getByTestId(`target-settings-${RGB}`).getAttribute('class')).not.toMatch(/active/);
  await shot('per-target-2-recalled.png');

  // Run again: one click recalls and generates from the current layers.
  await page.locator('[data-testid="gallery"] li').first().getByTestId('run-again').click();
  await waitForResult(count + 1);

  // Queue: a second Generate while one runs waits in the list and can be removed from it.
  await page.getByTestId('generate').click();
  await page.getByTestId('generate').click();
  await page.getByTestId('queue').waitFor();
  await shot('per-target-3-queue.png');
  await page.getByTestId('queue').getByRole('button').first().click();
  await waitForResult(count + 2);
  await new Promise((r) => setTimeout(r, 1500)); // the removed job must not run
  expect(await page.locator('[data-testid="gallery"] li').count()).toBe(count + 3);
  expect(consoleErrors).toEqual([]);
}, 240_000);

test('import a photo-sized image and derive every other layer from it', async () => {
  const photo = await sharp({ create: { width: 4032, height: 3024, channels: 3, background: { r: 90, g: 140, b: 200 } } })
    .composite([{ input: await sharp({ create: { width: 1500, height: 1500, channels: 3, background: { r: 200, g: 60, b: 40 } } }).png().toBuffer(), left: 1200, top: 1000 }])
    .jpeg()
    .toBuffer();
  const path = join(artifacts, 'photo-4032x3024.jpg');
  writeFileSync(path, photo);
  await page.getByTestId('import-file').setInputFiles(path);
  await expect.poll(() => page.getByTestId('editor-status').textContent()).toMatch(/Imported photo-4032x3024\.jpg/);
  for (const id of ['tok_depth@128', 'tok_normal@128', 'tok_edge@128']) expect(await editor.syncOf(id)).not.toBe('in sync');
  const before = await page.locator('[data-testid="gallery"] li').count();
  expect(await page.getByTestId('derive-why').count()).toBe(0);
  await page.getByTestId('derive').click();
  await waitForResult(before);
  for (const id of ['tok_depth@128', 'tok_normal@128', 'tok_edge@128', SEMSEG, 'caption']) {
    expect(await editor.syncOf(id)).toBe('in sync');
  }
  // Boxes and palette are in sync only when the model gave some; otherwise the layer says so.
  for (const id of ['det', 'color_palette']) {
    if ((await editor.syncOf(id)) !== 'in sync') expect(await page.getByTestId(`note-${id}`).textContent()).toMatch(/the model produced no/);
  }
  await shot('derive-all-layers.png');
  expect(consoleErrors).toEqual([]);
}, 300_000);

test('cancel stops a running generation and takes its preview back', async () => {
  await editor.selectLayer(RGB);
  const before = await editor.pixel(64, 64);
  const gallery = await page.locator('[data-testid="gallery"] li').count();
  await advanced();
  await page.getByLabel('Steps for RGB').fill('48'); // long enough to cancel mid-way
  await page.getByLabel('Steps for RGB').press('Tab');
  await page.getByTestId('generate').click();
  await page.getByTestId('generation-progress').waitFor();
  // Painting on a layer that is being generated is refused (its preview would overwrite it).
  await page.keyboard.press('b');
  await editor.drag([10, 10], [20, 20]);
  await expect.poll(() => page.getByTestId('editor-error').textContent()).toMatch(/RGB is being generated; wait for the result or cancel it/);
  await page.getByTestId('cancel').click();
  await expect.poll(() => page.getByTestId('generation-message').textContent(), { timeout: 30_000 }).toMatch(/cancelled; nothing changed/);
  await expect.poll(() => editor.pixel(64, 64)).toEqual(before);
  expect(await page.locator('[data-testid="gallery"] li').count()).toBe(gallery);
  // Pressed again: the cancelled run showed nothing, so this is no repeat moving on to "new seed …".
  const seed = await page.getByLabel('Seed', { exact: true }).inputValue();
  await page.getByTestId('generate').click();
  await page.getByTestId('generation-progress').waitFor();
  expect((await page.getByTestId('generation-message').allTextContents()).join('')).not.toMatch(/new seed/);
  expect(await page.getByLabel('Seed', { exact: true }).inputValue()).toBe(seed);
  await page.getByTestId('cancel').click();
  await expect.poll(() => page.getByTestId('generation-message').textContent(), { timeout: 30_000 }).toMatch(/cancelled; nothing changed/);
  await page.getByLabel('Steps for RGB').fill('8');
  await page.getByLabel('Steps for RGB').press('Tab');
  expect(consoleErrors).toEqual([]);
});

test('a crash of the inference host mid-job loses no edits', async () => {
  await editor.selectLayer(SEMSEG);
  await page.keyboard.press('b');
  await page.getByTestId('class-cone').click();
  await editor.drag([10, 10], [30, 30]);
  const painted = await editor.pixel(20, 20);
  await setRole(RGB, 'generate');
  await editor.selectLayer(RGB);
  await expect.poll(canvasView).toBe(RGB);
  const rgbBefore = await editor.pixel(100, 20);
  const undoTitle = await page.getByTestId('undo').getAttribute('title');
  const pid = harness.hostPid();
  await page.getByTestId('generate').click();
  await page.getByTestId('generation-progress').waitFor();
  process.kill(pid as number, 'SIGKILL');
  await expect.poll(() => page.getByTestId('generation-error').textContent(), { timeout: 15_000 }).toMatch(/killed.*Your document is unchanged/);
  await expect.poll(() => editor.pixel(100, 20)).toEqual(rgbBefore); // the step preview was taken back (next frame)
  expect(await page.getByTestId('undo').getAttribute('title')).toBe(undoTitle); // history intact
  await editor.selectLayer(SEMSEG);
  await expect.poll(() => editor.pixel(20, 20)).toEqual(painted); // the edit made before the job survives
  await shot('host-crash-no-edits-lost.png');
  await expect.poll(() => page.getByTestId('host-status').textContent(), { timeout: 20_000 }).toMatch(/ready/);
  expect(consoleErrors).toEqual([]);
});
