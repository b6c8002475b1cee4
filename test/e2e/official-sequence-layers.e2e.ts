import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { expect, test } from 'vitest';
import { hashedPicture } from '../unit/models/engine/fm/official-fixture';
import { artifactsDir as artifacts, type StudioSession } from './browser';
import type { EditorPage } from './editor-page';
import { FM_FIXTURE, officialSuite, setRoles, useModel, writeSequenceFolders } from './official-session';
import { importModelFolder } from './models-dialog';
import type { SentRequest } from './job-requests';

/**
 * Boxes and colour palettes on an official 4M model (issue #14) in Chromium against the built
 * harness: the 4M-21-layout FM fixture with a WordPiece file holding 4M's sequence words (the
 * coordinates v0…v3=0…999 and COCO's 80 class names) is imported and Used. The editor offers a
 * "Boxes (COCO)" layer whose box labels are the model's classes, a "Colour palette" layer and an
 * "Image controls" layer (4M-21's metadata); a box labelled "dog" and two swatches go in as
 * conditions and a caption comes back; from a picture the boxes and the palette are generated; 52
 * boxes (more than the model reads) are refused with the layer's name; controls set in the form go
 * in as 4M's metadata text, and generated controls read back read-only. With the SAM-instance
 * tokenizer folder beside it, an "Objects (SAM)" layer is offered, and RGB → objects comes back as
 * its picture with the inspector's count ("no objects found" on random weights), painted with the
 * object brush only (official-sam-paint.e2e.ts); a painting of objects imported onto it goes in as a condition (its picture, read into sam_instance text by the host). Random weights: the words are noise, so the structure is checked, not the content.
 */
const MODEL = FM_FIXTURE;
const RGB = 'rgb@224';

let studio: StudioSession;
let page: Page;
let editor: EditorPage;
/** Each generation request the page sent over the harness WebSocket. */
let requests: SentRequest[] = [];
const { root } = officialSuite('seq', {
  prepare: writeSequenceFolders,
  watchRequests: true,
  opened: (session) => ({ studio, page, editor, requests } = session),
});

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(artifacts, name) });
/** Generate, wait for the staged result; returns the problems the staging strip names. */
async function generate(): Promise<string[]> {
  await page.getByTestId('generate').click();
  await page.getByTestId('staging').waitFor({ timeout: 240_000 });
  await expect.poll(() => page.getByTestId('generation-progress').count(), { timeout: 120_000 }).toBe(0);
  expect(await page.getByTestId('generation-error').count()).toBe(0);
  return page.getByTestId('staging-problem').allTextContents();
}

test('the official model offers Boxes (COCO) with its 80 labels and a Colour palette; a "dog" box and two swatches → caption', async () => {
  await page.getByTestId('open-models').click();
  await importModelFolder(page, join(root, MODEL), MODEL);
  await useModel(page, editor, MODEL);
  expect(await page.getByTestId('label-det').textContent()).toBe('Boxes (COCO)');
  expect(await page.getByTestId('label-color_palette').textContent()).toBe('Colour palette');
  expect(await page.getByTestId('label-metadata').textContent()).toBe('Image controls');
  expect(await page.getByTestId('label-sam_instance').textContent()).toBe('Objects (SAM)');
  expect(await page.locator('[data-testid="layer-list"] > li').count()).toBe(8);

  // The box tool offers the model's own labels: COCO's 80 classes, not free words.
  await editor.selectLayer('det');
  const label = page.getByTestId('box-label');
  expect(await label.evaluate((el) => el.tagName)).toBe('SELECT');
  expect(await label.locator('option').count()).toBe(80);
  await label.selectOption('dog');
  await editor.drag([50, 60], [170, 190]);
  await expect.poll(() => page.locator('[data-testid="box-list"] li').count()).toBe(1);
  expect(await page.getByTestId('box-relabel').inputValue()).toBe('dog');
  expect(await page.getByTestId('box-relabel').locator('option').count()).toBe(80);
  expect(await editor.syncOf('det')).toBe('in sync');

  await editor.selectLayer('color_palette');
  await page.getByTestId('add-swatch').click();
  await page.getByTestId('add-swatch').click();
  await expect.poll(() => page.locator('[data-testid="palette"] input[type="color"]').count()).toBe(2);
  await setRoles(page, { [RGB]: 'ignore', det: 'condition', color_palette: 'condition', caption: 'generate' });
  await editor.selectLayer('det');
  // The empty picture's note steps aside while boxes are drawn over it.
  expect(await page.getByTestId('empty-view-hint').count()).toBe(0);
  await shot('official-seq-1-dog-box.png');

  const problems = await generate();
  // Random weights may end the caption at once: then it says so; nothing else may go wrong.
  expect(problems.filter((p) => !/^Caption: the model produced no words/.test(p))).toEqual([]);
  // The box went as 4M's det text (1000 coordinate bins, the class name), the swatches as a palette.
  const sent = requests.at(-1)?.inputs ?? {};
  expect(sent['det']?.text).toMatch(/^v0=\d{1,3} v1=\d{1,3} v2=\d{1,3} v3=\d{1,3} dog$/);
  expect(sent['color_palette']?.text).toMatch(/^v1=2( v0=\d{1,3}){6}$/);
  await page.getByTestId('staging-accept').click();
  await expect.poll(() => page.locator('[data-testid="gallery"] li').count(), { timeout: 30_000 }).toBe(1);
  await shot('official-seq-2-caption.png');
  expect(studio.consoleErrors).toEqual([]);
}, 600_000);

test('a picture in RGB → Generate the boxes and the palette: each comes back drawn, or named as not produced', async () => {
  const img = hashedPicture('e2e official boxes picture', 224);
  const path = join(artifacts, 'official-seq-input.png');
  writeFileSync(path, await sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 4 } }).png().toBuffer());
  await editor.selectLayer(RGB);
  // A colour that would show on the objects layer (black is shown clear there): the brush drag below must not paint it.
  await page.getByTestId('tool-brush').click();
  await page.getByTestId('brush-color').fill('#ff00ff');
  await page.getByTestId('import-file').setInputFiles(path);
  await expect.poll(() => page.getByTestId('editor-status').textContent()).toBe("Imported official-seq-input.png (224 × 224, the canvas's size)");
  await setRoles(page, { [RGB]: 'condition', det: 'generate', color_palette: 'generate', caption: 'ignore' });
  const problems = await generate();
  await shot('official-seq-3-staged.png');
  await page.getByTestId('staging-accept').click();
  await expect.poll(() => page.locator('[data-testid="gallery"] li').count(), { timeout: 30_000 }).toBe(2);
  // Random weights rarely write a whole box or colour: then the layer says so and keeps what it had.
  const boxesProblem = problems.find((p) => p.startsWith('Boxes (COCO):'));
  const paletteProblem = problems.find((p) => p.startsWith('Colour palette:'));
  await editor.selectLayer('det');
  if (boxesProblem) {
    expect(boxesProblem).toMatch(/^Boxes \(COCO\): the model produced no boxes with coordinates.*; the layer was left as it was\.$/);
    expect(await page.locator('[data-testid="box-list"] li').count()).toBe(1);
  } else {
    expect(await page.locator('[data-testid="box-list"] li').count()).toBeGreaterThan(0);
  }
  await shot('official-seq-4-boxes.png');
  await editor.selectLayer('color_palette');
  if (paletteProblem) expect(paletteProblem).toMatch(/^Colour palette: the model produced no colours.*; the layer was left as it was\.$/);
  else expect(await page.locator('[data-testid="palette"] input[type="color"]').count()).toBeGreaterThan(0);
  // The gallery line names what the result holds; with neither written it says so (it was blank beside a black square).
  const what = await page.getByTestId('gallery-what').first().textContent();
  if (boxesProblem && paletteProblem) expect(what).toBe('nothing usable came back');
  else expect(what).toMatch(/Boxes \(COCO\)|Colour palette/);
  // Use on a result with nothing in it would do nothing: it is disabled, and its hover text says why.
  const use = page.getByTestId('gallery-use').first();
  expect(await use.isDisabled()).toBe(Boolean(boxesProblem && paletteProblem));
  if (boxesProblem && paletteProblem) expect(await use.getAttribute('title')).toBe('Cannot use: nothing usable came back, so there is nothing to put on the canvas');
  expect(studio.consoleErrors).toEqual([]);
}, 600_000);

test('a palette stops at 7 swatches; 52 boxes are more than the model reads: refused with the layer name, no crash', async () => {
  await editor.selectLayer('color_palette');
  const add = page.getByTestId('add-swatch');
  while (await add.isEnabled()) await add.click();
  expect(await page.locator('[data-testid="palette"] input[type="color"]').count()).toBe(7);
  expect(await page.getByTestId('palette-full').textContent()).toMatch(/at most 7 colours/);

  await editor.selectLayer('det');
  for (let n = await page.locator('[data-testid="box-list"] li').count(); n > 0; n--) await page.getByTitle('Delete box').first().click();
  await page.getByTestId('box-label').selectOption('cat');
  for (let k = 0; k < 52; k++) {
    const x = 6 + (k % 8) * 27;
    const y = 6 + Math.floor(k / 8) * 27;
    await editor.drag([x, y], [x + 17, y + 17], 3);
  }
  await expect.poll(() => page.locator('[data-testid="box-list"] li').count()).toBe(52);
  await setRoles(page, { [RGB]: 'ignore', det: 'condition', color_palette: 'ignore', caption: 'generate' });
  await page.getByTestId('generate').click();
  const error = page.getByTestId('generation-error');
  await error.waitFor({ timeout: 120_000 });
  expect(await error.textContent()).toMatch(/^Boxes \(COCO\): 52 boxes are 261 tokens with the end mark; the model reads at most 256 \(about 51 boxes\): remove some boxes/);
  await shot('official-seq-5-too-many-boxes.png');
  // The host is still up: one box fewer goes through.
  await page.getByTitle('Delete box').first().click();
  await generate();
  await page.getByTestId('staging-accept').click();
  expect(studio.consoleErrors).toEqual([]);
}, 600_000);

test('Image controls: brightness, aesthetic "high" and 2 people go in as 4M\'s metadata text; an out-of-range count is refused; generated controls read back', async () => {
  await editor.selectLayer('metadata');
  const controls = page.getByTestId('metadata-controls');
  await controls.waitFor();
  expect(await page.getByTestId('meta-text').textContent()).toMatch(/nothing set/);
  // The form says what a tick does and what the code line is, on screen (not only in a tooltip).
  expect(await page.getByTestId('meta-count').textContent()).toBe('Tick a control to send it; unticked ones are not sent (0 of 21 ticked).');
  expect(await page.getByTestId('meta-text-label').textContent()).toBe('The model reads:');
  // Unchecked controls are not sent: their value fields are disabled until ticked.
  expect(await page.getByTestId('meta-brightness').isDisabled()).toBe(true);
  await page.getByTestId('meta-on-brightness').check();
  await page.getByTestId('meta-brightness').fill('30');
  await page.getByTestId('meta-on-aesthetic_score').check();
  await page.getByTestId('meta-aesthetic_score').selectOption('2');
  await page.getByTestId('meta-on-n_humans').check();
  const humans = page.getByTestId('meta-n_humans');
  await humans.fill('2');
  await humans.blur();
  await expect.poll(() => page.getByTestId('meta-text').textContent()).toBe('v1=5 v0=2 v1=10 v0=30 v1=20 v0=2 [S_1]');
  // Bin 30 of brightness's 50 reads back as the middle of its range: (30.5 / 49) · 255 ≈ 159.
  expect(await page.getByTestId('meta-value-brightness').textContent()).toBe('≈ 159');
  expect(await page.getByTestId('meta-count').textContent()).toMatch(/\(3 of 21 ticked\)/);
  expect(await page.getByTestId('meta-aesthetic_score').inputValue()).toBe('2');
  // 1200 people is outside what 4M bins (0…999): refused in words, the text keeps 2.
  await humans.fill('1200');
  await humans.blur();
  await expect.poll(() => page.getByTestId('meta-refused').textContent()).toBe('People: 1200 is outside 0…999');
  expect(await page.getByTestId('meta-text').textContent()).toBe('v1=5 v0=2 v1=10 v0=30 v1=20 v0=2 [S_1]');
  expect(await humans.inputValue()).toBe('2');
  await setRoles(page, { [RGB]: 'ignore', det: 'ignore', color_palette: 'ignore', metadata: 'condition', caption: 'generate' });
  await editor.selectLayer('metadata');
  await controls.screenshot({ path: join(artifacts, 'official-seq-6-image-controls-panel.png') });
  // All 21 rows are laid out in full: no inner scroll box cutting the last visible one in half.
  const rows = page.getByTestId('meta-rows');
  expect(await rows.evaluate((el) => el.scrollHeight <= el.clientHeight)).toBe(true);
  const last = page.locator('[data-testid="meta-rows"] label').last();
  await last.scrollIntoViewIfNeeded();
  const [lastBox, sideBox] = await Promise.all([last.boundingBox(), page.locator('aside.side').boundingBox()]);
  expect(lastBox && sideBox && lastBox.y >= sideBox.y && lastBox.y + lastBox.height <= sideBox.y + sideBox.height).toBe(true);
  await shot('official-seq-6-image-controls.png');
  // The smallest window the editor supports: the panel still shows its controls and the text it sends.
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.getByTestId('meta-text').scrollIntoViewIfNeeded();
  expect(await page.getByTestId('meta-text').isVisible()).toBe(true);
  // The prompt's hint while the caption is generated is read in full at this width (it was cut).
  const prompt = page.getByTestId('prompt');
  expect(await prompt.getAttribute('placeholder')).toBe('The model writes the caption (see Layers)');
  const fits = await prompt.evaluate((el: HTMLInputElement) => {
    const style = getComputedStyle(el);
    const ctx = document.createElement('canvas').getContext('2d');
    if (!ctx) return false;
    ctx.font = style.font;
    return ctx.measureText(el.placeholder).width <= el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  });
  expect(fits).toBe(true);
  await shot('official-seq-6b-image-controls-1024x700.png');
  await page.setViewportSize({ width: 1440, height: 900 });
  const problems = await generate();
  expect(problems.filter((p) => !/^Caption: the model produced no words/.test(p))).toEqual([]);
  // The request carries exactly the form's text as the metadata input.
  expect(requests.at(-1)?.inputs?.['metadata']).toEqual({ kind: 'text', text: 'v1=5 v0=2 v1=10 v0=30 v1=20 v0=2 [S_1]' });
  await page.getByTestId('staging-accept').click();

  // As a target the controls are the model's: read back into the form, which is read-only.
  await setRoles(page, { [RGB]: 'condition', det: 'ignore', color_palette: 'ignore', metadata: 'generate', caption: 'ignore' });
  const generated = await generate();
  await page.getByTestId('staging-accept').click();
  await editor.selectLayer('metadata');
  expect(await page.getByTestId('meta-on-brightness').isDisabled()).toBe(true);
  expect(await controls.textContent()).toMatch(/read-only while the layer is set to generate/);
  expect(await page.getByTestId('meta-text-label').textContent()).toBe('The model wrote:');
  expect(await page.getByTestId('meta-count').count()).toBe(0);
  expect(await page.getByTestId('meta-refused').count()).toBe(0);
  const problem = generated.find((p) => p.startsWith('Image controls:'));
  // Random weights: the words are noise; what is not a control is listed, never a crash.
  const text = (await page.getByTestId('meta-text').textContent()) ?? '';
  if (!problem && text !== 'v1=5 v0=2 v1=10 v0=30 v1=20 v0=2 [S_1]') expect((await page.getByTestId('meta-dropped').count()) + (await controls.locator('input[type="checkbox"]:checked').count())).toBeGreaterThan(0);
  await controls.screenshot({ path: join(artifacts, 'official-seq-7-image-controls-generated.png') });
  expect(studio.consoleErrors).toEqual([]);
}, 600_000);

test('Objects (SAM): a picture in RGB → the objects layer, its count in the inspector, shown over the picture; 4M-21 reads it, so condition is offered', async () => {
  const condition = page.getByTestId('role-sam_instance').locator('option[value="condition"]');
  expect(await condition.isDisabled()).toBe(false);
  await editor.selectLayer('sam_instance');
  expect(await page.getByTestId('sam-objects').textContent()).toMatch(/^Set it to generate/);

  const img = hashedPicture('e2e official sam picture', 224);
  const path = join(artifacts, 'official-seq-sam-input.png');
  writeFileSync(path, await sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 4 } }).png().toBuffer());
  await editor.selectLayer(RGB);
  // A colour that would show on the objects layer (black is shown clear there): the brush drag below must not paint it.
  await page.getByTestId('tool-brush').click();
  await page.getByTestId('brush-color').fill('#ff00ff');
  await page.getByTestId('import-file').setInputFiles(path);
  await expect.poll(() => page.getByTestId('editor-status').textContent()).toBe("Imported official-seq-sam-input.png (224 × 224, the canvas's size)");
  await setRoles(page, { [RGB]: 'condition', det: 'ignore', color_palette: 'ignore', metadata: 'ignore', caption: 'ignore', sam_instance: 'generate' });
  const problems = await generate();
  expect(problems).toEqual([]);
  // A sequence to the model: written autoregressively at 4M's SAM temperature.
  const target = requests.at(-1)?.targets?.find((t) => t.modality === 'sam_instance') as { scheme?: string; temperature: number } | undefined;
  expect(target).toMatchObject({ scheme: 'autoregressive', temperature: 0.01 });
  await page.getByTestId('staging-accept').click();
  await editor.selectLayer('sam_instance');
  expect(await editor.syncOf('sam_instance')).toBe('in sync');
  // Random weights write no complete instance: an ordinary answer, not an error.
  expect(await page.getByTestId('sam-objects').textContent()).toBe('no objects found: the model saw no object to outline here');
  expect(await page.getByTestId('generation-error').count()).toBe(0);
  await shot('official-seq-8-sam-objects.png');
  // 4M-21 reads the layer back, so the object brush and eraser edit it (official-sam-paint.e2e.ts); fills, shapes and regions do not.
  for (const tool of ['brush', 'eraser']) expect(await page.getByTestId(`tool-${tool}`).isDisabled()).toBe(false);
  for (const tool of ['fill', 'rect', 'mask']) expect(await page.getByTestId(`tool-${tool}`).isDisabled()).toBe(true);
  expect(await page.getByTestId('object-count').textContent()).toBe('0 of 9 objects');
  // Over the picture, as any layer: where no object was found it is clear, so the picture shows unchanged.
  await editor.selectLayer(RGB);
  const picture = await editor.pixel(100, 100);
  await page.getByTestId('overlay-layer').selectOption('sam_instance');
  await page.getByTestId('overlay-opacity').fill('80');
  await expect.poll(() => editor.pixel(100, 100)).toEqual(picture);
  await shot('official-seq-9-sam-over-rgb.png');
  await page.getByTestId('overlay-layer').selectOption('');
  expect(studio.consoleErrors).toEqual([]);
}, 600_000);

test('Objects (SAM) as a condition: a painting of two colours, one in two parts, imported onto the layer goes in as its picture, read into sam_instance text by the host → caption', async () => {
  // What 4m --out sam_instance=masks.png writes: one flat colour per object over transparency. The
  // orange is in two separate parts: 4M's instances are one outline each, so they are two objects.
  const S = 224;
  const rgba = new Uint8Array(S * S * 4);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      if ((x >= 30 && x < 110 && y >= 40 && y < 120) || (x >= 150 && x < 200 && y >= 20 && y < 60)) rgba.set([230, 120, 20, 255], (y * S + x) * 4);
      else if ((x - 160) ** 2 / 1600 + (y - 160) ** 2 / 900 <= 1) rgba.set([40, 90, 220, 255], (y * S + x) * 4);
    }
  }
  const path = join(artifacts, 'official-seq-sam-objects.png');
  writeFileSync(path, await sharp(Buffer.from(rgba), { raw: { width: S, height: S, channels: 4 } }).png().toBuffer());
  await editor.selectLayer('sam_instance');
  await page.getByTestId('import-file').setInputFiles(path);
  await expect.poll(() => page.getByTestId('editor-status').textContent()).toBe("Imported official-seq-sam-objects.png (224 × 224, the canvas's size)");
  await setRoles(page, { [RGB]: 'ignore', det: 'ignore', color_palette: 'ignore', metadata: 'ignore', sam_instance: 'condition', caption: 'generate' });
  await editor.selectLayer('sam_instance');
  await expect.poll(() => page.getByTestId('sam-objects').textContent()).toBe('3 objects go in as the condition, each read by the SAM tokenizer');
  // The object brush counts as the host reads (of the 9 the fixture's sequence holds): the orange's two parts are two objects, and it says so.
  expect(await page.getByTestId('object-count').textContent()).toBe('3 of 9 objects');
  expect(await page.getByTestId('object-parts').textContent()).toBe('Object 1 is in 2 separate parts: the model reads each as an object');
  await shot('official-seq-10-sam-condition.png');
  const problems = await generate();
  expect(problems.filter((p) => !/^Caption: the model produced no words/.test(p))).toEqual([]);
  // The layer went as its picture (the host reads the masks back through the SAM tokenizer's encoder).
  const sent = requests.at(-1)?.inputs ?? {};
  expect(sent['sam_instance']?.kind).toBe('image-pixels');
  expect(Object.keys(sent)).toEqual(['sam_instance']);
  await page.getByTestId('staging-accept').click();
  await shot('official-seq-11-sam-condition-caption.png');
  // A picture with no object in it is refused naming the layer, not sent as nothing.
  await editor.selectLayer('sam_instance');
  const black = join(artifacts, 'official-seq-sam-black.png');
  writeFileSync(black, await sharp({ create: { width: S, height: S, channels: 3, background: { r: 0, g: 0, b: 0 } } }).png().toBuffer());
  await page.getByTestId('import-file').setInputFiles(black);
  await expect.poll(() => page.getByTestId('sam-objects').textContent()).toMatch(/^no objects to go in: import a painting of objects/);
  await page.getByTestId('generate').click();
  await expect.poll(() => page.getByTestId('generation-error').textContent(), { timeout: 120_000 }).toContain('Objects (SAM): no objects: every pixel is black or transparent');
  await shot('official-seq-12-sam-condition-empty.png');
  expect(studio.consoleErrors).toEqual([]);
}, 600_000);

