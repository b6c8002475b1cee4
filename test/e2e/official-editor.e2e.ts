import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { expect, test } from 'vitest';
import { hashedPicture, writeOfficialFolder } from '../unit/models/engine/fm/official-fixture';
import { artifactsDir as artifacts, type StudioSession } from './browser';
import type { EditorPage } from './editor-page';
import { FM_FIXTURE, hostReady, officialSuite, useModel } from './official-session';

/**
 * The editor on an official 4M model (issue #14) in Chromium against the built harness: an
 * official-format folder is built from the committed random-weight fixtures (the 4M-21-layout FM
 * of test/fixtures/official-fm in fm/, the semseg VQ-VAE of test/fixtures/official-vqvae in
 * tokenizers/semseg/), imported and Used in the Models dialog; the canvas, grid and layers follow
 * it (224 px, 14×14, RGB + Segmentation), a picture goes into RGB and Generate predicts the
 * segmentation through generateOfficial in the host. Random weights: the result is noise, the
 * layout is what is checked. Switching back to the bundled model brings its layers and document back.
 */
const MODEL = FM_FIXTURE;
const RGB = 'rgb@224';
const SEMSEG = 'tok_semseg@224';
/** The project saved on the official model (downloaded: this harness has no file channel). */
let projectFile = '';
/** The segmentation's pixel the project holds, to see it come back intact. */
let savedPixel: number[] = [];

/** The header of a .4mproj file (container: magic, version, header length, header JSON). */
function projectHeader(path: string): { version: number; header: { model?: { id: string; layout: string } } } {
  const bytes = readFileSync(path);
  const length = bytes.readUInt32LE(12);
  return { version: bytes.readUInt32LE(8), header: JSON.parse(bytes.subarray(16, 16 + length).toString('utf8')) as { model?: { id: string; layout: string } } };
}
const openProject = (path: string): Promise<void> => page.getByTestId('open-file').setInputFiles(path);
const projectNotice = () => page.getByTestId('notice-project-model');

let studio: StudioSession;
let page: Page;
let editor: EditorPage;
/** start opens the app on this test's folders, first from the suite's beforeAll, again after a close. */
const { dataDir, root, open: start } = officialSuite('official', {
  prepare: (root) => writeOfficialFolder(join(root, MODEL), ['semseg']),
  opened: (session) => ({ studio, page, editor } = session),
});
const folder = join(root, MODEL);

/** Quits the app (harness, host and browser) and starts it again: what a restart keeps is on disk. */
async function restart(): Promise<void> {
  expect(studio.consoleErrors).toEqual([]);
  await studio.close();
  await start();
}

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(artifacts, name) });
const sizeLine = (): Promise<string> => editor.canvasSize();

test('import an official model folder, Use it: the editor becomes 224 px, 14×14, with RGB and Segmentation', async () => {
  expect(await sizeLine()).toBe('128 × 128 px, 16 × 16 tokens');
  await page.getByTestId('open-models').click();
  await page.getByTestId('import-path').fill(folder);
  await page.getByTestId('models-import-folder').click();
  await page.getByTestId('models-prompt').filter({ hasText: '4M model weights licence' }).waitFor({ timeout: 120_000 });
  await page.getByTestId('accept-license').click();
  await page.getByTestId('models-status').filter({ hasText: `Installed ${MODEL}.` }).waitFor({ timeout: 180_000 });
  const card = page.getByTestId(`model-user-${MODEL}`);
  expect(await card.textContent()).toContain('Official 4M model');
  await shot('official-1-installed.png');

  await page.getByTestId(`use-${MODEL}`).click();
  // The dialog stays open: its active line (focused, for the keyboard) follows the switch.
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('models-active-text');
  await hostReady(page, MODEL);
  await expect.poll(() => page.getByTestId('models-active-text').textContent(), { timeout: 30_000 }).toBe(`Active: ${MODEL}, from your models folder. The editor is laid out for it.`);
  expect(await page.getByTestId('models-dialog').isVisible()).toBe(true);
  expect(await card.getByTestId('active-mark').textContent()).toBe('Active');
  expect(await page.getByTestId(`use-${MODEL}`).count()).toBe(0);
  expect(await page.getByTestId('use-world-4m-small').isEnabled()).toBe(true);
  expect(await page.getByTestId('use-bundled').textContent()).toMatch(/^Back to World 4M small/);
  await shot('official-1b-active-in-dialog.png');
  // Escape closes it; focus goes back to the header's Models button. The editor behind it was rebuilt for the model.
  await page.keyboard.press('Escape');
  await expect.poll(() => page.getByTestId('models-dialog').isVisible()).toBe(false);
  // Focus returns once the dialog has closed (a tick later on a loaded machine).
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('open-models');
  await expect.poll(sizeLine, { timeout: 30_000 }).toBe('224 × 224 px, 14 × 14 tokens');
  // The status says what changed, without repeating the footer's token grid.
  expect(await page.getByTestId('editor-status').textContent()).toBe(`Switched to ${MODEL} (224 × 224 px)`);
  expect(await page.getByTestId(`label-${RGB}`).textContent()).toBe('RGB');
  expect(await page.getByTestId(`label-${SEMSEG}`).textContent()).toBe('Segmentation (COCO)');
  // Only what the folder can feed or decode: no depth, normals, caption (no tokenizer, no WordPiece file); 4M-21's two picture references (set from a picture by the FM itself).
  expect(await page.locator('[data-testid="layer-list"] > li').count()).toBe(4);
  await shot('official-2-layers.png');
}, 600_000);

test('a picture in RGB → Generate: the segmentation comes back from the official model as a 224×224 picture', async () => {
  const img = hashedPicture('e2e official picture', 300);
  const path = join(artifacts, 'official-input.png');
  writeFileSync(path, await sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 4 } }).png().toBuffer());
  await page.getByTestId('import-file').setInputFiles(path);
  await expect.poll(() => page.getByTestId('editor-status').textContent()).toBe('Imported official-input.png (300 × 300, resized to 224 × 224)');
  await page.getByTestId(`role-${RGB}`).selectOption('condition');
  await page.getByTestId(`role-${SEMSEG}`).selectOption('generate');
  // Official tokenizers declare no FSQ levels: the Faithful token choice is off, and says why.
  await page.getByTestId('advanced').locator('summary').click();
  const choice = page.getByTestId(`token-choice-${SEMSEG}`);
  expect(await choice.isDisabled()).toBe(true);
  expect(await choice.inputValue()).toBe('sample');
  const why = /^Faithful \(expected code\) needs a tokenizer that declares its FSQ levels; the open model's tokenizer for Segmentation \(COCO\) does not \(official 4M tokenizers are VQ-VAE or diffusion decoders\), so it is sampled\.$/;
  expect(await choice.locator('xpath=..').getAttribute('title')).toMatch(why);
  expect(await page.getByTestId('token-choice-why').textContent()).toMatch(why);
  // Smoothing votes in FSQ code space too: off here, so it cannot look as if it did something.
  expect(await page.getByTestId('smoothing').isDisabled()).toBe(true);
  await shot('official-2b-token-choice-off.png');
  await page.getByTestId('advanced').locator('summary').click();
  await page.getByTestId('generate').click();
  await page.getByTestId('staging').waitFor({ timeout: 240_000 });
  await expect.poll(() => page.getByTestId('generation-progress').count(), { timeout: 60_000 }).toBe(0);
  await shot('official-3-staged.png');
  await page.getByTestId('staging-accept').click();
  await expect.poll(() => editor.syncOf(SEMSEG), { timeout: 30_000 }).toBe('in sync');
  await editor.selectLayer(SEMSEG);
  // A decoded picture on the canvas: opaque pixels, not all one colour.
  const a = await editor.pixel(20, 20);
  const b = await editor.pixel(200, 180);
  expect(a[3]).toBe(255);
  expect(b[3]).toBe(255);
  await shot('official-4-semseg.png');
  expect(await page.getByTestId('editor-error').count()).toBe(0);
}, 600_000);

test('a layer the folder cannot decode says where its tokenizer goes', async () => {
  // The generated segmentation (its tokens) as the input, RGB as the target: the folder has no RGB tokenizer.
  await page.getByTestId(`role-${SEMSEG}`).selectOption('condition');
  await page.getByTestId(`role-${RGB}`).selectOption('generate');
  await page.getByTestId('generate').click();
  const error = page.getByTestId('generation-error');
  await error.waitFor({ timeout: 120_000 });
  expect(await error.textContent()).toMatch(/targets: RGB has no tokenizer to decode it; put its tokenizer folder \(config\.json \+ model\.safetensors\) at .*4M-21-fixture\/tokenizers\/rgb/);
  await shot('official-5-no-tokenizer.png');
}, 300_000);

test('a project saved on the official model records the model: its id and layout identity', async () => {
  await editor.selectLayer(SEMSEG);
  savedPixel = await editor.pixel(200, 180);
  projectFile = await editor.save('official-scene');
  const { version, header } = projectHeader(projectFile);
  expect(version).toBe(3);
  expect(header.model?.id).toBe(MODEL);
  expect(header.model?.layout).toMatch(/^224x224\/14x14\/[0-9a-f]{8}$/);
}, 120_000);

test('restart: the model used last is reopened (remembered in the user data folder), the editor laid out for it', async () => {
  const remembered = JSON.parse(readFileSync(join(dataDir, 'active-model.json'), 'utf8')) as { id: string };
  expect(remembered.id).toBe(MODEL);
  await restart();
  await hostReady(page, MODEL);
  await expect.poll(sizeLine, { timeout: 30_000 }).toBe('224 × 224 px, 14 × 14 tokens');
  expect(await page.getByTestId(`label-${SEMSEG}`).textContent()).toBe('Segmentation (COCO)');
  expect(await page.getByTestId('notice-model-fallback').count()).toBe(0);
  await shot('official-6-restarted.png');
}, 600_000);

/** The official document's RGB pixel under the stroke painted before switching away, before and after the stroke. */
let beforeStroke: number[] = [];
let afterStroke: number[] = [];
const saveLabel = () => page.getByTestId('save-project').textContent();

test('back to the bundled model from the dialog\'s active line: its canvas and layers return', async () => {
  // A stroke on the official model's document first: it must come back undoable (next test).
  await editor.selectLayer(RGB);
  beforeStroke = await editor.pixel(112, 112);
  await editor.drag([60, 112], [170, 112]);
  await expect.poll(() => editor.pixel(112, 112)).not.toEqual(beforeStroke);
  afterStroke = await editor.pixel(112, 112);
  expect(await saveLabel()).toBe('Save •');
  await page.getByTestId('open-models').click();
  await page.getByTestId('use-bundled').click();
  await page.getByText(/Inference host: ready · (?!4M-21)/).waitFor({ timeout: 240_000 });
  await expect.poll(() => page.getByTestId('models-active-text').textContent(), { timeout: 30_000 }).toMatch(/^Active: World 4M small, bundled with the app\./);
  expect(await page.getByTestId('use-bundled').count()).toBe(0);
  expect(await page.getByTestId('model-bundled-world-4m-small').getByTestId('active-mark').textContent()).toBe('Active');
  await page.getByTestId('close-models').click();
  await expect.poll(() => page.getByTestId('models-dialog').isVisible()).toBe(false);
  await expect.poll(sizeLine, { timeout: 30_000 }).toBe('128 × 128 px, 16 × 16 tokens');
  expect(await page.getByTestId('layer-tok_rgb@128').count()).toBe(1);
  expect(await page.getByTestId(`layer-${RGB}`).count()).toBe(0);
  // The official document is kept for a switch back, not offered as a crash copy to recover.
  expect(await page.getByTestId('recover').count()).toBe(0);
  await shot('official-7-back-to-bundled.png');
  expect(studio.consoleErrors).toEqual([]);
  expect(studio.harness.alive()).toBe(true);
  expect((JSON.parse(readFileSync(join(dataDir, 'active-model.json'), 'utf8')) as { id: string }).id).toBe('world-4m-small');
}, 300_000);

test('switching back to the official model brings its document with its history: Ctrl+Z undoes the stroke', async () => {
  await page.getByTestId('open-models').click();
  await useModel(page, editor, MODEL);
  await editor.selectLayer(RGB);
  expect(await editor.pixel(112, 112)).toEqual(afterStroke);
  // Undo is live (not greyed) and names the stroke; the title's unsaved mark is still true.
  expect(await page.getByTestId('undo').isEnabled()).toBe(true);
  expect(await saveLabel()).toBe('Save •');
  await shot('official-7b-back-with-history.png');
  await page.keyboard.press('Control+z');
  await expect.poll(() => editor.pixel(112, 112)).toEqual(beforeStroke);
  expect(await page.getByTestId('editor-status').textContent()).toMatch(/^Undone: /);
  // Undone back to where it was opened: no unsaved mark (the saved marker came back with the history).
  expect(await saveLabel()).toBe('Save');
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(() => editor.pixel(112, 112)).toEqual(afterStroke);
  await page.keyboard.press('Control+z');
  await expect.poll(() => editor.pixel(112, 112)).toEqual(beforeStroke);
  // Back to the bundled model for the next test.
  await page.getByTestId('open-models').click();
  await page.getByTestId('use-bundled').click();
  await page.getByText(/Inference host: ready · (?!4M-21)/).waitFor({ timeout: 240_000 });
  await page.getByTestId('close-models').click();
  await expect.poll(sizeLine, { timeout: 30_000 }).toBe('128 × 128 px, 16 × 16 tokens');
  expect(studio.consoleErrors).toEqual([]);
}, 600_000);

test('opening that project on the bundled model switches to the model it was made with, layers and name intact', async () => {
  await openProject(projectFile);
  await projectNotice().waitFor({ timeout: 30_000 });
  expect(await projectNotice().getByTestId('notice-text').textContent()).toBe(`official-scene.4mproj was made with ${MODEL}: switching the editor to that model… (its layers are kept as saved)`);
  await hostReady(page, MODEL);
  await expect.poll(() => projectNotice().getByTestId('notice-text').textContent(), { timeout: 30_000 }).toBe(`official-scene.4mproj was made with ${MODEL}; the editor switched to that model.`);
  await expect.poll(sizeLine, { timeout: 30_000 }).toBe('224 × 224 px, 14 × 14 tokens');
  expect(await page.getByTestId('project-name').inputValue()).toBe('official-scene');
  expect(await editor.syncOf(SEMSEG)).toBe('in sync');
  await editor.selectLayer(SEMSEG);
  expect(await editor.pixel(200, 180)).toEqual(savedPixel);
  await shot('official-8-project-switched-model.png');
  expect(studio.consoleErrors).toEqual([]);
}, 300_000);

test('restart after the remembered model was deleted: the bundled model opens, and a notice names the model and why', async () => {
  // The artist chose the official model again, quit, then deleted its folder.
  const installed = join(dataDir, 'models', MODEL);
  expect(existsSync(installed)).toBe(true);
  writeFileSync(join(dataDir, 'active-model.json'), JSON.stringify({ format: '4m-studio.active-model/1', id: MODEL, displayName: MODEL, chosenAt: new Date().toISOString() }));
  await studio.close();
  renameSync(installed, join(root, 'deleted-by-the-artist'));
  await start();
  await page.getByText(/Inference host: ready · World 4M small/).waitFor({ timeout: 240_000 });
  const notice = page.getByTestId('notice-model-fallback');
  await notice.waitFor({ timeout: 30_000 });
  expect(await notice.getAttribute('role')).toBe('status'); // non-blocking: the editor works under it
  expect(await notice.getByTestId('notice-text').textContent()).toMatch(new RegExp(`^Could not reopen "${MODEL}", the model you used last time: Model "${MODEL}" was not found\\. Searched .*\\. Using World 4M small instead; choose another in Models \\(Ctrl\\+Shift\\+M\\)\\.$`));
  expect(await sizeLine()).toBe('128 × 128 px, 16 × 16 tokens');
  expect(await page.locator('[data-testid="layer-list"] > li').count()).toBeGreaterThan(2);
  await shot('official-9-remembered-model-gone.png');
  // Dismissed with the keyboard; it does not come back while this model stays open.
  await page.getByTestId('dismiss-notice-model-fallback').focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => notice.count()).toBe(0);
  expect(studio.consoleErrors).toEqual([]);
}, 300_000);

test('opening a project whose model is not installed: the notice names it and how to get it; its layers are kept', async () => {
  await openProject(projectFile);
  await projectNotice().waitFor({ timeout: 30_000 });
  expect(await projectNotice().getByTestId('notice-text').textContent()).toBe(
    `official-scene.4mproj was made with the model "${MODEL}", which is not installed here. Nothing is lost: its layers are kept as saved and shown as they are. To generate with them, add its folder with Models (Ctrl+Shift+M) → Import folder…; the editor then switches to it when the project is opened.`,
  );
  // The project's own layers and canvas, as saved; the host stays on the bundled model.
  expect(await sizeLine()).toBe('224 × 224 px, 14 × 14 tokens');
  expect(await page.locator('[data-testid="layer-list"] > li').count()).toBe(4);
  // Named as the model that made them name them, under that model's id.
  expect(await page.getByTestId(`label-${SEMSEG}`).textContent()).toBe('Segmentation (COCO)');
  expect(await page.locator('section[aria-label="Layers"] h2').textContent()).toContain(MODEL);
  expect(await editor.syncOf(SEMSEG)).toBe('in sync');
  await editor.selectLayer(SEMSEG);
  expect(await editor.pixel(200, 180)).toEqual(savedPixel);
  expect(await page.getByTestId('host-status').textContent()).toMatch(/ready · World 4M small/);
  await shot('official-10-project-model-missing.png');
  // Generating would send these layers to a model that has none of them: the Generate panel says
  // why before anything is clicked, and Generate and Derive are off.
  await page.getByTestId(`role-${SEMSEG}`).selectOption('condition');
  await page.getByTestId(`role-${RGB}`).selectOption('generate');
  expect(await page.getByTestId('model-mismatch').textContent()).toBe(
    `This project was made with "${MODEL}"; World 4M small is open and its layers differ, so Generate is off. Install "${MODEL}" in Models (Ctrl+Shift+M), or Use it there, to generate with it.`,
  );
  expect(await page.getByTestId('intent-warning').textContent()).toBe(`Generate is off: this project's layers are for "${MODEL}", not World 4M small.`);
  expect(await page.getByTestId('generate').isDisabled()).toBe(true);
  expect(await page.getByTestId('generate').getAttribute('title')).toMatch(/^Generate is off: /);
  expect(await page.getByTestId('derive').isDisabled()).toBe(true);
  // Derive points at the panel's own explanation instead of saying it a second time.
  expect(await page.getByTestId('derive').getAttribute('aria-describedby')).toBe('model-mismatch');
  expect(await page.getByTestId('derive-why').count()).toBe(0);
  // RGB is set to generate: the panel does not also ask for a layer set to generate.
  expect(await page.getByTestId('no-targets').count()).toBe(0);
  await shot('official-11-project-model-mismatch-hint.png');
  expect(studio.consoleErrors).toEqual([]);
  expect(studio.harness.alive()).toBe(true);
}, 300_000);
