import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { artifactsDir as artifacts, openStudio, type StudioSession } from './browser';
import { EditorPage } from './editor-page';

/**
 * The editor shell in Debian Chromium at 1280×800 against the harness: layers from the shipped
 * model's manifest, class-brush painting, undo/redo, boxes, region mask, caption, and a project
 * that saves, reopens and saves again byte for byte; autosave recovery after a lost page.
 */
const SEMSEG = 'tok_semseg@128';
const RGB = 'tok_rgb@128';
/** The shipped model's class colours (the manifest is the one source; no colour is hard-coded here). */
const CLASS_COLOR = Object.fromEntries(
  (JSON.parse(readFileSync(new URL('../../models/zoo/world-4m-small/manifest.json', import.meta.url), 'utf8')) as { classes: { name: string; color: number[] }[] }).classes.map((c) => [c.name, [...c.color, 255]]),
);

let studio: StudioSession;
let page: Page;
let editor: EditorPage;
let consoleErrors: string[];

beforeAll(async () => {
  studio = await openStudio({ width: 1280, height: 800 });
  ({ page, consoleErrors } = studio);
  editor = new EditorPage(page);
});

afterAll(() => studio?.close());

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(artifacts, name) });

test('every modality of the model is a layer with visibility, opacity, lock, role and sync', async () => {
  await page.getByTestId('layer-list').waitFor();
  const rows = page.locator('[data-testid="layer-list"] > li');
  await expect.poll(() => rows.count()).toBe(8);
  const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
  expect(ids).toEqual(['layer-tok_rgb@128', 'layer-tok_depth@128', 'layer-tok_normal@128', 'layer-tok_edge@128', 'layer-tok_semseg@128', 'layer-det', 'layer-caption', 'layer-color_palette']);
  for (const id of [RGB, SEMSEG, 'caption']) {
    await page.getByTestId(`lock-${id}`).waitFor();
    await page.getByTestId(`role-${id}`).waitFor();
    expect(await editor.syncOf(id)).toBe('empty');
  }
  // Pixel layers and boxes can be shown over the canvas; a caption cannot.
  await page.getByTestId(`visible-${SEMSEG}`).waitFor();
  expect(await page.getByTestId('visible-caption').count()).toBe(0);
  // The layout fits 1280×800 without scrolling the page.
  expect(await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight])).toEqual([1280, 800]);
  await shot('editor-empty.png');
});

test('paint a segmentation sketch with the class brush, undo and redo it', async () => {
  await editor.selectLayer(SEMSEG);
  await page.keyboard.press('b');
  await page.getByTestId('class-cube').click();
  await page.getByTestId('brush-size').fill('24');
  const background = await editor.pixel(64, 64);
  await editor.drag([40, 64], [90, 64]);
  const cube = await editor.pixel(64, 64);
  expect(cube).not.toEqual(background);
  expect(await page.getByTestId('undo').isEnabled()).toBe(true);
  expect(await page.getByTestId('undo').getAttribute('title')).toMatch(/^Undo Paint/);
  expect(await editor.syncOf(SEMSEG)).toBe('in sync');
  await page.getByTestId('class-ground').click();
  await editor.drag([10, 118], [118, 118]);
  await shot('editor-segmentation-sketch.png');

  await page.keyboard.press('Control+z'); // the ground stroke
  await page.keyboard.press('Control+z'); // the cube stroke
  // The canvas redraws on the next frame; on a loaded machine that can come after the keypress returns.
  await expect.poll(() => editor.pixel(64, 64)).toEqual(background);
  expect(await editor.syncOf(SEMSEG)).toBe('empty');
  await shot('editor-after-undo.png');
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(() => editor.pixel(64, 64)).toEqual(cube);
  await page.keyboard.press('Control+y');
  expect(await page.getByTestId('undo').isEnabled()).toBe(true);
  expect(await page.getByTestId('redo').isEnabled()).toBe(false);
  await shot('editor-after-redo.png');
});

test('layout tools: a rectangle, an ellipse and a lasso filled with a class, snapped to tokens on request', async () => {
  await editor.selectLayer(SEMSEG);
  await page.keyboard.press('u');
  await page.getByTestId('class-cylinder').click();
  await editor.drag([8, 70], [40, 120]);
  const cylinder = await editor.pixel(24, 100);
  expect(await editor.pixel(24, 68)).not.toEqual(cylinder); // above the rectangle
  expect(await page.getByTestId('undo').getAttribute('title')).toMatch(/^Undo Rectangle/);
  await page.keyboard.press('o');
  await page.getByTestId('class-sphere').click();
  await editor.drag([80, 70], [120, 110]);
  const sphere = await editor.pixel(100, 90);
  expect(sphere).not.toEqual(cylinder);
  expect(await editor.pixel(81, 71)).not.toEqual(sphere); // the box's corner is outside the ellipse
  // Snapped: a small rectangle grows to whole 8 px token cells.
  await page.keyboard.press('u');
  await page.getByTestId('shape-snap').check();
  await page.getByTestId('class-cone').click();
  await editor.drag([50, 10], [60, 20]);
  expect(await editor.pixel(48, 8)).toEqual(await editor.pixel(55, 15));
  await page.getByTestId('shape-snap').uncheck();
  await page.keyboard.press('l');
  await page.getByTestId('class-cube').click();
  const cornerA = await editor.point(70, 20);
  const cornerB = await editor.point(110, 20);
  const cornerC = await editor.point(90, 50);
  await page.mouse.move(cornerA.x, cornerA.y);
  await page.mouse.down();
  await page.mouse.move(cornerB.x, cornerB.y, { steps: 6 });
  await page.mouse.move(cornerC.x, cornerC.y, { steps: 6 });
  await page.mouse.up();
  expect(await editor.pixel(90, 28)).toEqual(CLASS_COLOR['cube']); // the triangle is filled with the cube class's colour
  await shot('editor-layout-shapes.png');
  for (let i = 0; i < 4; i++) await page.keyboard.press('Control+z');
  expect(await editor.syncOf(SEMSEG)).toBe('in sync'); // the earlier sketch is still there
});

test('boxes: draw, move and relabel; caption text; region mask snapped to tokens', async () => {
  await editor.selectLayer('det');
  await page.getByTestId('box-label').fill('cube');
  await editor.drag([20, 20], [60, 50]);
  await expect.poll(() => page.locator('[data-testid="box-list"] li').count()).toBe(1);
  await editor.drag([40, 35], [70, 45]); // move it
  await page.getByTestId('box-relabel').fill('red cube');
  await page.getByTestId('box-relabel').press('Enter');
  await expect.poll(() => page.getByTestId('box-relabel').inputValue()).toBe('red cube');
  expect(await editor.syncOf('det')).toBe('in sync');

  await editor.selectLayer('caption');
  await page.getByTestId('caption-text').fill('a red cube on the ground');
  await page.getByTestId('caption-text').blur();
  expect(await editor.syncOf('caption')).toBe('in sync');

  await editor.selectLayer(RGB);
  await page.keyboard.press('m');
  await page.getByTestId('brush-size').fill('6');
  await editor.drag([36, 36], [60, 36]);
  const count = (await page.getByTestId('mask-count').textContent()) ?? '';
  const tokens = Number(/(\d+) of 256 tokens/.exec(count)?.[1]);
  // 8-pixel token cells: a 6 px dab along y = 36 covers row 4 only, columns 4–7 or so.
  expect(tokens).toBeGreaterThanOrEqual(3);
  expect(tokens).toBeLessThanOrEqual(8);
  await shot('editor-region-mask.png');
});

test('depth gradient, and Shift-click straight lines on edges', async () => {
  await editor.selectLayer('tok_depth@128');
  await page.keyboard.press('d');
  await page.getByTestId('gradient-from').fill('240');
  await page.getByTestId('gradient-to').fill('10');
  await editor.drag([0, 64], [128, 64]);
  const [near] = await editor.pixel(2, 20);
  const [far] = await editor.pixel(125, 100);
  expect(near).toBeGreaterThan(225);
  expect(far).toBeLessThan(25);
  expect(await page.getByTestId('undo').getAttribute('title')).toMatch(/^Undo Gradient/);

  await editor.selectLayer('tok_edge@128');
  await page.keyboard.press('b');
  await page.getByTestId('brush-value').fill('255');
  await page.getByTestId('brush-size').fill('3');
  const a = await editor.point(10, 100);
  const b = await editor.point(110, 100);
  await page.mouse.click(a.x, a.y);
  await page.keyboard.down('Shift');
  await page.mouse.click(b.x, b.y);
  await page.keyboard.up('Shift');
  expect((await editor.pixel(60, 100))[0]).toBeGreaterThan(200);
  expect((await editor.pixel(60, 90))[0]).toBeLessThan(20);
  await shot('editor-edges-line.png');
  await editor.selectLayer('tok_depth@128');
  // Only depth is shown now: the edge line drawn at y = 100 is not over it (a horizontal gradient).
  await expect.poll(async () => (await editor.pixel(60, 100))[0]).toBe((await editor.pixel(60, 90))[0]);
  await shot('editor-depth-gradient.png');
});

test('save → reopen gives the identical document (byte-identical re-save)', async () => {
  const first = await editor.save('sketch');
  await page.reload();
  await page.getByTestId('layer-list').waitFor();
  expect(await page.getByTestId('recovery-banner').count()).toBe(0); // explicitly saved: nothing to recover
  await page.getByTestId('open-file').setInputFiles(first);
  await expect.poll(() => page.getByTestId('editor-status').textContent()).toMatch(/Opened sketch\.4mproj/);
  expect(await editor.syncOf(SEMSEG)).toBe('in sync');
  const second = await editor.save('sketch-again');
  expect(readFileSync(second).equals(readFileSync(first))).toBe(true);
  await shot('editor-reopened.png');

  const psdPath = await download('export-psd', 'sketch.psd');
  const psd = readFileSync(psdPath);
  expect(psd.subarray(0, 4).toString('latin1')).toBe('8BPS');
  expect(psd.readUInt16BE(26 + 8 + 8)).toBe(5); // RGB, depth, normals, edges, segmentation
  await editor.selectLayer(SEMSEG);
  const png = readFileSync(await download('export-png', 'sketch-semseg.png'));
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect((await sharp(png).metadata()).width).toBe(128);
});

async function download(testId: string, name: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = join(artifacts, name);
  await file.saveAs(path);
  return path;
}

test('autosave survives a lost page and is offered for recovery', async () => {
  await editor.selectLayer(SEMSEG);
  await page.keyboard.press('b');
  await page.getByTestId('class-sphere').click();
  await editor.drag([100, 20], [110, 30]);
  const painted = await editor.pixel(105, 25);
  await page.waitForTimeout(2_500); // past the autosave debounce
  await page.reload();
  await page.getByTestId('recovery-banner').waitFor();
  await shot('editor-recovery-offer.png');
  await page.getByTestId('recover').click();
  await editor.selectLayer(SEMSEG); // the canvas shows the selected layer
  await expect.poll(() => editor.pixel(105, 25)).toEqual(painted);
  expect(consoleErrors).toEqual([]);
});

test('import a photo-sized JPEG: EXIF orientation applied, centre-cropped to the model grid', async () => {
  // 3000×2000, left half red, right half blue, tagged "rotate 90° clockwise" (orientation 6):
  // displayed upright it is 2000×3000 with red on top and blue below.
  const half = await sharp({ create: { width: 1500, height: 2000, channels: 3, background: { r: 220, g: 30, b: 30 } } }).png().toBuffer();
  const photo = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: { r: 30, g: 30, b: 220 } } })
    .composite([{ input: half, left: 0, top: 0 }])
    .jpeg({ quality: 90 })
    .withMetadata({ orientation: 6 })
    .toBuffer();
  const path = join(artifacts, 'photo-3000x2000-exif6.jpg');
  writeFileSync(path, photo);
  await editor.selectLayer(SEMSEG);
  await page.getByTestId('import-file').setInputFiles(path); // onto RGB, which is then shown
  await expect.poll(() => page.getByTestId('editor-status').textContent()).toMatch(/Imported photo-3000x2000-exif6\.jpg \(2000 × 3000, cropped and resized to 128 × 128\)/);
  expect(await editor.syncOf(RGB)).toBe('in sync');
  // The upright picture: red at row `top`, blue at row `bottom` (column 64).
  const expectRedAboveBlue = async (top: number, bottom: number): Promise<void> => {
    const [r1, , b1] = await editor.pixel(64, top);
    const [r2, , b2] = await editor.pixel(64, bottom);
    expect(r1).toBeGreaterThan(180);
    expect(b1).toBeLessThan(80);
    expect(b2).toBeGreaterThan(180);
    expect(r2).toBeLessThan(80);
  };
  await expectRedAboveBlue(20, 108);
  await shot('editor-imported-photo.png');

  // The same picture padded instead: all of it shows, between black bars left and right.
  await page.getByTestId('import-fit').selectOption('pad');
  await page.getByTestId('import-file').setInputFiles(path);
  await expect.poll(() => page.getByTestId('editor-status').textContent()).toMatch(/\(2000 × 3000, padded and resized to 128 × 128\)/);
  const bar = await editor.pixel(4, 64);
  expect(Math.max(...bar.slice(0, 3))).toBeLessThan(20);
  await expectRedAboveBlue(10, 118);
  await shot('editor-imported-photo-padded.png');
  await page.getByTestId('import-fit').selectOption('crop');
  expect(consoleErrors).toEqual([]);
});

test('wheel zooms about the cursor, Space-drag pans, 0 fits the view again', async () => {
  const fitted = await editor.placement();
  const at = await editor.point(32, 32);
  await page.mouse.move(at.x, at.y);
  await page.mouse.wheel(0, -100);
  await page.mouse.wheel(0, -100);
  const zoomed = await editor.placement();
  expect(zoomed.scale).toBeGreaterThan(fitted.scale);
  const still = await editor.point(32, 32); // the pixel under the cursor stays under it
  expect(Math.abs(still.x - at.x)).toBeLessThan(zoomed.scale);
  expect(Math.abs(still.y - at.y)).toBeLessThan(zoomed.scale);
  await page.keyboard.down(' ');
  await page.mouse.down();
  await page.mouse.move(at.x + 100, at.y + 50, { steps: 5 });
  await page.mouse.up();
  await page.keyboard.up(' ');
  const panned = await editor.placement();
  expect([panned.x - zoomed.x, panned.y - zoomed.y]).toEqual([100, 50]);
  await shot('editor-zoomed.png');
  await page.keyboard.press('0');
  expect(await editor.placement()).toEqual(fitted);
  expect(consoleErrors).toEqual([]);
});

test('switching tools keeps the canvas still; a layer no tool paints says where it is edited instead of brush options', async () => {
  await editor.selectLayer(SEMSEG);
  await page.getByTestId('zoom-fit').click();
  const canvas = async (): Promise<unknown> => ({ box: await page.getByTestId('editor-canvas').boundingBox(), zoom: await page.getByTestId('zoom-readout').textContent() });
  await page.keyboard.press('b');
  await page.getByTestId('class-sky').waitFor(); // the class grid: the tallest options
  const brush = await canvas();
  await shot('tool-options-1-brush-classes.png');
  // The bar keeps one height for every tool (it grew with the class grid: the canvas jumped, 400 % → 445 %).
  for (const key of ['e', 'g', 'u', 'm', 'b']) {
    await page.keyboard.press(key);
    expect(await canvas()).toEqual(brush);
  }
  // RGB (colour, hardness, flow) and surface normals (the normal picker) under the brush.
  for (const id of [RGB, 'tok_normal@128']) {
    await editor.selectLayer(id);
    expect(await canvas()).toEqual(brush);
  }
  await page.getByTestId('normal-picker').waitFor();
  // The caption: where to type it, not a brush that cannot paint it; the canvas stays put.
  await editor.selectLayer('caption');
  expect(await page.getByTestId('tool-hint').textContent()).toBe('Caption: type it in the prompt box above');
  expect(await page.getByTestId('brush-size').count()).toBe(0);
  expect(await canvas()).toEqual(brush);
  await shot('tool-options-2-caption-hint.png');
  await editor.selectLayer(SEMSEG);
  expect(await page.getByTestId('tool-hint').count()).toBe(0);
  expect(consoleErrors).toEqual([]);
});
