import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { expect, test } from 'vitest';
import { hashedPicture, writeOfficialSrFolder, writeOfficialFolder } from '../unit/models/engine/fm/official-fixture';
import { crc32 } from '../../renderer/src/document/project/crc32';
import { artifactsDir as artifacts, type StudioSession } from './browser';
import type { EditorPage } from './editor-page';
import { FM_FIXTURE, hostReady, officialSuite, useModel } from './official-session';
import { importModelFolder } from './models-dialog';

/**
 * "Upscale ×2" in the editor (issue #14) in Chromium against the built harness: the 4M-21-layout FM
 * fixture with the semseg VQ-VAE is imported and Used in the Models dialog, a picture in RGB gives a
 * 224 px segmentation, accepted into the gallery. Its Upscale ×2 button is disabled until an official
 * SR folder (the 4M-7-SR-layout FM fixture with the same semseg tokenizer) is imported, then sends the
 * result to the host's 'upscale' job; the 448 × 448 answer is its own entry (Save PNG… writes 448 px)
 * and the document stays 224 px. Random weights: the picture is noise, sizes and flow are checked.
 */
const MODEL = FM_FIXTURE;
const SR = 'SR-fixture';
const RGB = 'rgb@224';
const SEMSEG = 'tok_semseg@224';

let studio: StudioSession;
let page: Page;
let editor: EditorPage;
let projectFile = '';
let seed = '';
const { root } = officialSuite('upscale', {
  prepare: (root) => {
    writeOfficialFolder(join(root, MODEL), ['semseg']);
    writeOfficialSrFolder(join(root, SR), ['semseg']);
  },
  opened: (session) => ({ studio, page, editor } = session),
});

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(artifacts, name) });
const sizeLine = (): Promise<string> => editor.canvasSize();

/** Imports a folder in the open Models dialog, accepting the 4M weights licence when it is asked. */
const importFolder = (id: string): Promise<void> => importModelFolder(page, join(root, id), id);

test('an official model Used, a segmentation generated and accepted: Upscale ×2 says the SR model is needed', async () => {
  await page.getByTestId('open-models').click();
  await importFolder(MODEL);
  // The dialog stays open after Use (it says which model is active); useModel closes it.
  await useModel(page, editor, MODEL);
  await expect.poll(() => page.getByTestId('models-dialog').isVisible(), { timeout: 30_000 }).toBe(false);

  const img = hashedPicture('e2e upscale picture', 300);
  const path = join(artifacts, 'upscale-input.png');
  writeFileSync(path, await sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 4 } }).png().toBuffer());
  await page.getByTestId('import-file').setInputFiles(path);
  await expect.poll(() => page.getByTestId('editor-status').textContent()).toMatch(/Imported upscale-input\.png/);
  await page.getByTestId(`role-${RGB}`).selectOption('condition');
  await page.getByTestId(`role-${SEMSEG}`).selectOption('generate');
  await page.getByTestId('generate').click();
  await page.getByTestId('staging').waitFor({ timeout: 240_000 });
  await expect.poll(() => page.getByTestId('generation-progress').count(), { timeout: 60_000 }).toBe(0);
  await page.getByTestId('staging-accept').click();

  const button = page.getByTestId('gallery').getByTestId('upscale').first();
  await button.hover();
  await expect.poll(() => button.getAttribute('title'), { timeout: 30_000 }).toBe("Install 4M's super-resolution model (4M-7-SR_L_CC12M) to upscale");
  expect(await button.getAttribute('aria-disabled')).toBe('true');
  // It stays focusable (its hover text is reachable from the keyboard); pressing it changes nothing
  // but says why under Upscaled (a click did nothing visible).
  await button.focus();
  await page.keyboard.press('Enter');
  await button.click({ force: true });
  expect(await page.getByTestId('upscaled-entry').count()).toBe(0);
  expect(await page.getByTestId('upscale-message').textContent()).toBe("Install 4M's super-resolution model (4M-7-SR_L_CC12M) to upscale");
  await shot('upscale-1-needs-sr.png');
}, 600_000);

test('with the SR folder installed, Upscale ×2 (from the keyboard) gives a 448 × 448 entry; the document stays 224 px', async () => {
  await page.getByTestId('open-models').click();
  await importFolder(SR);
  await page.getByTestId('close-models').click();
  await expect.poll(() => page.getByTestId('models-dialog').isVisible(), { timeout: 30_000 }).toBe(false);

  const button = page.getByTestId('gallery').getByTestId('upscale').first();
  // Focus asks the model manager again; the button becomes available without a reload.
  await button.focus();
  await expect.poll(() => button.getAttribute('aria-disabled'), { timeout: 30_000 }).toBe('false');
  expect(await button.getAttribute('title')).toMatch(/^Upscale ×2 to 448 × 448 with SR-fixture: .*224 px layers and document are not changed/);
  seed = (await page.getByTestId('gallery').locator('.meta').first().textContent())?.match(/seed (\d+)/)?.[1] ?? '';
  expect(seed).toMatch(/^\d+$/);
  await shot('upscale-2-ready.png');

  await page.keyboard.press('Enter');
  const entry = page.getByTestId('upscaled-entry').first();
  await entry.waitFor({ timeout: 300_000 });
  expect(await entry.getByTestId('upscaled-label').textContent()).toBe(`448 × 448, upscaled ×2 from seed ${seed}`);
  const picture = entry.getByTestId('upscaled-picture');
  expect([await picture.getAttribute('data-width'), await picture.getAttribute('data-height')]).toEqual(['448', '448']);
  await expect.poll(() => picture.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]), { timeout: 10_000 }).toEqual([448, 448]);
  expect(await page.getByTestId('upscale-message').textContent()).toMatch(/the 224 px document is unchanged/);
  // The canvas and the layer are still 224 px; the gallery still has one 224 px entry.
  expect(await sizeLine()).toBe('224 × 224 px, 14 × 14 tokens');
  expect(await page.getByTestId('gallery').locator('li').count()).toBe(1);
  expect(await page.getByTestId('upscale-error').count()).toBe(0);
  await page.getByTestId('upscaled').scrollIntoViewIfNeeded();
  await shot('upscale-3-entry.png');

  const [download] = await Promise.all([page.waitForEvent('download'), entry.getByTestId('upscaled-save').click()]);
  const file = join(artifacts, 'upscale-448.png');
  await download.saveAs(file);
  expect(download.suggestedFilename()).toBe(`upscaled-segmentation-coco-seed${seed}-448.png`);
  const meta = await sharp(file).metadata();
  expect([meta.width, meta.height]).toEqual([448, 448]);
  expect(studio.consoleErrors).toEqual([]);
  expect(studio.harness.alive()).toBe(true);
}, 600_000);

/** The project file's format version and header. */
function projectHeader(path: string): { version: number; header: Record<string, unknown> } {
  const bytes = readFileSync(path);
  const length = bytes.readUInt32LE(12);
  return { version: bytes.readUInt32LE(8), header: JSON.parse(bytes.subarray(16, 16 + length).toString('utf8')) as Record<string, unknown> };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Serious or critical WCAG A/AA violations inside the viewer (axe-core), as "rule: target" lines. */
async function viewerViolations(): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    type V = { id: string; impact: string | null; nodes: { target: string[] }[] };
    const axe = (window as unknown as { axe: { run(ctx: Element, opts: object): Promise<{ violations: V[] }> } }).axe;
    const dialog = document.querySelector('[data-testid="upscaled-viewer"]');
    if (!dialog) return ['no viewer'];
    const r = await axe.run(dialog, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/** Opens the first upscaled picture's full-size viewer from the keyboard; checks it shows 448 px at 100 %. */
async function checkViewer(name: string): Promise<void> {
  const thumb = page.getByTestId('upscaled-entry').first().getByTestId('upscaled-view').first();
  await thumb.focus();
  await page.keyboard.press('Enter');
  const viewer = page.getByTestId('upscaled-viewer');
  await expect.poll(() => viewer.isVisible(), { timeout: 10_000 }).toBe(true);
  const full = viewer.getByTestId('upscaled-viewer-picture');
  await expect.poll(() => full.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight, img.complete]), { timeout: 10_000 }).toEqual([448, 448, true]);
  const box = await full.boundingBox();
  expect([Math.round(box?.width ?? 0), Math.round(box?.height ?? 0)]).toEqual([448, 448]);
  expect(await viewer.locator('h2').textContent()).toBe(`Segmentation (COCO) · 448 × 448, upscaled ×2 from seed ${seed}`);
  expect(await viewerViolations()).toEqual([]);
  await shot(name);
  // Esc closes it and only it; the keyboard is back on the thumbnail.
  await page.keyboard.press('Escape');
  await expect.poll(() => viewer.isVisible()).toBe(false);
  expect(await thumb.evaluate((el) => el === document.activeElement)).toBe(true);
}

test('an upscaled thumbnail opens the picture at full size (448 px) over the editor; Esc closes it', async () => {
  await checkViewer('upscale-5-viewer.png');
  // The Close button works too.
  await page.getByTestId('upscaled-view').first().click();
  await page.getByTestId('upscaled-viewer-close').click();
  await expect.poll(() => page.getByTestId('upscaled-viewer').isVisible()).toBe(false);
  expect(studio.consoleErrors).toEqual([]);
}, 120_000);

test('saved in the project (format 3) and reopened in a new session: the entry is back, viewable, and the result can be upscaled again', async () => {
  projectFile = await editor.save('upscale-scene');
  const { version, header } = projectHeader(projectFile);
  expect(version).toBe(3);
  const upscaled = header['upscaled'] as { sourceSeed: number; srModel: string; pictures: { layer: string; width: number; height: number; png: { offset: number; length: number } }[] }[];
  expect(upscaled).toHaveLength(1);
  expect(upscaled[0]).toMatchObject({ sourceSeed: Number(seed), srModel: SR, pictures: [{ layer: SEMSEG, width: 448, height: 448 }] });
  // The picture is stored as its PNG (a PNG signature at its chunk), far smaller than 448 × 448 RGBA.
  const bytes = readFileSync(projectFile);
  const dataStart = 16 + bytes.readUInt32LE(12);
  const png = upscaled[0]!.pictures[0]!.png;
  expect(bytes.subarray(dataStart + png.offset, dataStart + png.offset + 8).toString('latin1')).toBe('\x89PNG\r\n\x1a\n');
  expect(png.length).toBeLessThan(448 * 448 * 4);
  const gallery = header['gallery'] as { inputs: { ref: string; width: number; height: number }[] }[];
  expect(gallery[0]?.inputs).toEqual([expect.objectContaining({ width: 224, height: 224 })]); // the picture the result was made from
  // Kept as a PNG, not 224 × 224 × 4 raw bytes.
  const kept = (gallery[0]?.inputs[0] as { png?: { offset: number; length: number } } | undefined)?.png;
  expect(kept && bytes.subarray(dataStart + kept.offset, dataStart + kept.offset + 8).toString('latin1')).toBe('\x89PNG\r\n\x1a\n');
  // This picture is hashed noise, which no lossless format shrinks: it costs its raw size and a little.
  expect(kept!.length).toBeLessThan(224 * 224 * 4 + 224 + 100);
  console.log(`upscale-scene.4mproj: ${bytes.length} bytes with the kept 224 px picture as PNG (${kept!.length} bytes); ${bytes.length - kept!.length + 224 * 224 * 4} bytes with it raw`);

  // A new session (the page reloaded: nothing of the last one is in memory), then the project opened.
  await page.reload();
  await hostReady(page, MODEL);
  expect(await page.getByTestId('upscaled-entry').count()).toBe(0);
  await page.getByTestId('open-file').setInputFiles(projectFile);
  await expect.poll(() => page.getByTestId('editor-status').textContent(), { timeout: 30_000 }).toMatch(/Opened upscale-scene\.4mproj/);
  const entry = page.getByTestId('upscaled-entry').first();
  await entry.waitFor({ timeout: 30_000 });
  expect(await entry.getByTestId('upscaled-label').textContent()).toBe(`448 × 448, upscaled ×2 from seed ${seed}`);
  expect(await page.getByTestId('notice-project-skipped').count()).toBe(0);
  await page.getByTestId('upscaled').scrollIntoViewIfNeeded();
  await shot('upscale-6-reopened.png');
  await checkViewer('upscale-7-reopened-viewer.png');
  const [download] = await Promise.all([page.waitForEvent('download'), entry.getByTestId('upscaled-save').click()]);
  const file = join(artifacts, 'upscale-448-reopened.png');
  await download.saveAs(file);
  const meta = await sharp(file).metadata();
  expect([meta.width, meta.height]).toEqual([448, 448]);

  // The reopened result (an earlier session's) can be upscaled: the project kept what the job needs.
  const button = page.getByTestId('gallery').getByTestId('upscale').first();
  await button.hover();
  await expect.poll(() => button.getAttribute('aria-disabled'), { timeout: 30_000 }).toBe('false');
  expect(await button.getAttribute('title')).toMatch(/^Upscale ×2 to 448 × 448 with SR-fixture: /);
  await button.click();
  await expect.poll(() => page.getByTestId('upscaled-entry').count(), { timeout: 300_000 }).toBe(2);
  expect(await page.getByTestId('upscale-error').count()).toBe(0);
  expect(await page.getByTestId('upscaled-label').first().textContent()).toBe(`448 × 448, upscaled ×2 from seed ${seed}`);
  // The same job as in the first session (same request, pixels, tokens, SR seed): the same picture.
  const pictures = await page.getByTestId('upscaled-picture').evaluateAll((imgs: HTMLImageElement[]) =>
    imgs.map((img) => {
      const c = document.createElement('canvas');
      c.width = img.naturalWidth;
      c.height = img.naturalHeight;
      const g = c.getContext('2d');
      g?.drawImage(img, 0, 0);
      return g ? Array.from(g.getImageData(0, 0, c.width, c.height).data.slice(0, 4096)).join(',') : '';
    }),
  );
  expect(pictures).toHaveLength(2);
  expect(pictures[0]).toBe(pictures[1]);
  await page.getByTestId('upscaled').scrollIntoViewIfNeeded();
  await shot('upscale-8-reupscaled.png');

  // × removes the newest upscaled entry (one undoable step); Ctrl+Z brings it back, Ctrl+Y removes it again.
  const remove = page.getByTestId('upscaled-entry').first().getByTestId('upscaled-remove');
  expect(await remove.getAttribute('aria-label')).toBe(`Remove upscaled result (448 × 448, upscaled ×2 from seed ${seed})`);
  await remove.click();
  await expect.poll(() => page.getByTestId('upscaled-entry').count()).toBe(1);
  expect(await page.getByTestId('gallery').locator('li').count()).toBe(1);
  await expect.poll(() => page.getByTestId('upscale-message').textContent()).toMatch(/^Removed the upscaled result .*Ctrl\+Z brings it back/);
  await shot('upscale-8b-removed.png');
  await page.keyboard.press('Control+z');
  await expect.poll(() => page.getByTestId('upscaled-entry').count()).toBe(2);
  await expect.poll(() => page.getByTestId('upscaled-picture').count()).toBe(2);
  // "Removed … Ctrl+Z brings it back" is no longer true once it is back: the panel's line goes.
  expect(await page.getByTestId('upscale-message').count()).toBe(0);
  await page.keyboard.press('Control+y');
  await expect.poll(() => page.getByTestId('upscaled-entry').count()).toBe(1);
  expect(studio.consoleErrors).toEqual([]);
  expect(studio.harness.alive()).toBe(true);
}, 600_000);

test('a project whose upscaled picture is damaged opens with its layers and gallery; a notice names the entry left out', async () => {
  // The stored PNG's signature overwritten (the file's checksum made valid again): not a PNG any more.
  const bytes = Buffer.from(readFileSync(projectFile));
  const { header } = projectHeader(projectFile);
  const png = (header['upscaled'] as { pictures: { png: { offset: number } }[] }[])[0]!.pictures[0]!.png;
  const at = 16 + bytes.readUInt32LE(12) + png.offset;
  bytes.fill(0x58, at, at + 8);
  bytes.writeUInt32LE(crc32(bytes.subarray(0, bytes.length - 4)), bytes.length - 4);
  const damaged = join(artifacts, 'upscale-damaged.4mproj');
  writeFileSync(damaged, bytes);
  await page.getByTestId('open-file').setInputFiles(damaged);
  const notice = page.getByTestId('notice-project-skipped');
  await notice.waitFor({ timeout: 30_000 });
  expect(await notice.getByTestId('notice-text').textContent()).toMatch(
    /^upscale-damaged\.4mproj: one upscaled result could not be read and was left out \(the layers, the gallery and the other results are as saved; saving writes the project without it\): upscaled\[0\] \("up-[^"]+"\): pictures\[0\]\.png: not a PNG file \(no PNG signature\)\.$/,
  );
  expect(await page.getByTestId('upscaled-entry').count()).toBe(0);
  expect(await page.getByTestId('gallery').locator('li').count()).toBe(1);
  expect(await sizeLine()).toBe('224 × 224 px, 14 × 14 tokens');
  await shot('upscale-9-damaged-entry.png');
  // Back to the good file for the next test.
  await page.getByTestId('open-file').setInputFiles(projectFile);
  await expect.poll(() => page.getByTestId('upscaled-entry').count(), { timeout: 30_000 }).toBe(1);
  expect(await notice.count()).toBe(0);
  expect(studio.consoleErrors).toEqual([]);
}, 120_000);

test("an SR folder that cannot decode the layer: the host's error is shown, naming the folder; nothing is added", async () => {
  // Named as the catalogue's SR model, so it is the one the button picks; it has no tokenizers/.
  writeOfficialSrFolder(join(root, '4M-7-SR_L_CC12M'), []);
  await page.getByTestId('open-models').click();
  await importFolder('4M-7-SR_L_CC12M');
  await page.getByTestId('close-models').click();
  const button = page.getByTestId('gallery').getByTestId('upscale').first();
  await button.hover();
  // Wait until the button has picked the new folder: clicked earlier (a loaded machine is slow to list
  // the import), it upscales with SR-fixture, which works, and no error ever comes.
  await expect.poll(() => button.getAttribute('title'), { timeout: 60_000 }).toMatch(/^Upscale ×2 to 448 × 448 with (?!SR-fixture)/);
  await expect.poll(() => button.getAttribute('aria-disabled'), { timeout: 30_000 }).toBe('false');
  await button.click();
  const error = page.getByTestId('upscale-error');
  await error.waitFor({ timeout: 300_000 });
  expect(await error.textContent()).toMatch(/^Upscale ×2 failed: .*4M-7-SR_L_CC12M.*Segmentation \(COCO\)/);
  expect(await page.getByTestId('upscaled-entry').count()).toBe(1);
  expect(await page.getByTestId('upscale-progress').count()).toBe(0);
  await page.getByTestId('upscaled').scrollIntoViewIfNeeded();
  await shot('upscale-4-error.png');
  expect(studio.consoleErrors).toEqual([]);
}, 600_000);
