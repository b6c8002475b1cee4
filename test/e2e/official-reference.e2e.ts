import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { expect, test } from 'vitest';
import { hashedPicture, writeOfficialFolder } from '../unit/models/engine/fm/official-fixture';
import { artifactsDir as artifacts, type StudioSession } from './browser';
import type { EditorPage } from './editor-page';
import { FM_FIXTURE, officialSuite, setRoles, useModel } from './official-session';
import { importModelFolder } from './models-dialog';
import type { SentRequest } from './job-requests';

/**
 * Picture references on an official 4M-21 model (issue #14) in Chromium against the built harness:
 * the 4M-21-layout FM fixture (random weights) with its semseg tokenizer offers a "DINOv2 reference"
 * and an "ImageBind reference" layer. A picture imported into RGB is read into the DINOv2 reference
 * (From the RGB layer: the FM predicts its 16 global tokens; the layer shows the picture's thumbnail),
 * which then steers a segmentation as a condition (its tokens go in the request); the ImageBind
 * reference as a target reads back "predicted, no preview". Undo takes the reference back; a
 * picture file sets one too. Predicted from the RGB layer alone, the ImageBind reference shows that
 * picture's thumbnail, in the layer and in its gallery entry.
 */
const MODEL = FM_FIXTURE;
const RGB = 'rgb@224';
const SEMSEG = 'tok_semseg@224';
const DINO = 'tok_dinov2_global';
const BIND = 'tok_imagebind_global';

let studio: StudioSession;
let page: Page;
let editor: EditorPage;
let requests: SentRequest[] = [];
const { root } = officialSuite('ref', {
  prepare: (root) => writeOfficialFolder(join(root, MODEL), ['semseg']),
  watchRequests: true,
  opened: (session) => ({ studio, page, editor, requests } = session),
});

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(artifacts, name) });

test('a DINOv2 reference read from the RGB layer steers generation; an ImageBind reference as a target is predicted, no preview', async () => {
  await page.getByTestId('open-models').click();
  await importModelFolder(page, join(root, MODEL), MODEL);
  await useModel(page, editor, MODEL);
  expect(await page.getByTestId(`label-${DINO}`).textContent()).toBe('DINOv2 reference');
  expect(await page.getByTestId(`label-${BIND}`).textContent()).toBe('ImageBind reference');

  // Empty: it says what it is for; From the RGB layer waits for a picture.
  await editor.selectLayer(DINO);
  expect(await page.getByTestId('reference-source').textContent()).toBe('No reference yet');
  expect(await page.getByTestId('reference-from-rgb').isDisabled()).toBe(true);

  const img = hashedPicture('e2e reference picture', 224);
  const path = join(artifacts, 'official-ref-input.png');
  writeFileSync(path, await sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 4 } }).png().toBuffer());
  await editor.selectLayer(RGB);
  await page.getByTestId('import-file').setInputFiles(path);
  await expect.poll(() => page.getByTestId('editor-status').textContent()).toMatch(/Imported official-ref-input\.png/);

  await editor.selectLayer(DINO);
  const sentBefore = requests.length;
  await page.getByTestId('reference-from-rgb').click();
  await expect.poll(() => page.getByTestId('reference-source').textContent(), { timeout: 120_000 }).toBe('DINOv2 reference from the RGB layer');
  expect(await page.getByTestId('reference-thumbnail').count()).toBe(1);
  expect((await page.getByTestId('reference-tokens').textContent())?.trim().split(/\s+/)).toHaveLength(16);
  expect(await editor.syncOf(DINO)).toBe('in sync');
  // The reading job: the picture as RGB's pixels, the reference the only target.
  const reading = requests[sentBefore];
  expect(Object.keys(reading?.inputs ?? {})).toEqual([RGB]);
  expect(reading?.targets?.map((t) => t.modality)).toEqual([DINO]);
  await shot('official-ref-1-read.png');

  // As a condition it steers the segmentation: its 16 tokens go in the request.
  await setRoles(page, { [RGB]: 'ignore', [DINO]: 'condition', [SEMSEG]: 'generate', [BIND]: 'generate' });
  await page.getByTestId('generate').click();
  await page.getByTestId('staging').waitFor({ timeout: 240_000 });
  await expect.poll(() => page.getByTestId('generation-progress').count(), { timeout: 120_000 }).toBe(0);
  expect(await page.getByTestId('generation-error').count()).toBe(0);
  const sent = requests.at(-1) as (SentRequest & { inputs: Record<string, { kind: string; tokens?: number[] }> }) | undefined;
  expect(sent?.inputs[DINO]?.kind).toBe('image-tokens');
  expect(sent?.inputs[DINO]?.tokens).toHaveLength(16);
  expect(sent?.inputs[RGB]).toBeUndefined();
  await page.getByTestId('staging-accept').click();
  await expect.poll(() => page.locator('[data-testid="gallery"] li').count(), { timeout: 30_000 }).toBe(1);
  await editor.selectLayer(BIND);
  expect(await page.getByTestId('reference-source').textContent()).toBe('ImageBind reference: predicted, no preview');
  // A target's tokens are the model's: not set by hand meanwhile.
  expect(await page.getByTestId('reference-from-rgb').isDisabled()).toBe(true);
  await shot('official-ref-2-predicted.png');

  // Undo goes back through the accept, then the reading: the reference is empty again.
  await editor.selectLayer(DINO);
  await shot('official-ref-3-condition.png');
  // (the accept, the role changes, then the reading: each its own step)
  for (let i = 0; i < 8 && (await page.getByTestId('reference-source').textContent()) !== 'No reference yet'; i++) await page.getByTestId('undo').click();
  expect(await page.getByTestId('reference-source').textContent()).toBe('No reference yet');
  await page.getByTestId('redo').click();
  await expect.poll(() => page.getByTestId('reference-source').textContent()).toBe('DINOv2 reference from the RGB layer');

  // From a picture file: fitted to the canvas like an import, read by the model, named by its file.
  await setRoles(page, { [BIND]: 'condition' });
  await editor.selectLayer(BIND);
  await page.getByTestId('reference-file').setInputFiles(path);
  await expect.poll(() => page.getByTestId('reference-source').textContent(), { timeout: 120_000 }).toBe('ImageBind reference from official-ref-input.png');
  expect(await page.getByTestId('reference-thumbnail').count()).toBe(1);
  await shot('official-ref-4-from-file.png');
  expect(studio.consoleErrors).toEqual([]);
}, 600_000);

test('an ImageBind reference predicted from the RGB layer alone shows that picture as its thumbnail', async () => {
  await setRoles(page, { [RGB]: 'condition', [DINO]: 'ignore', [SEMSEG]: 'ignore', [BIND]: 'generate' });
  await page.getByTestId('generate').click();
  await page.getByTestId('staging').waitFor({ timeout: 240_000 });
  await expect.poll(() => page.getByTestId('generation-progress').count(), { timeout: 120_000 }).toBe(0);
  expect(await page.getByTestId('generation-error').count()).toBe(0);
  const sent = requests.at(-1);
  expect(Object.keys(sent?.inputs ?? {})).toEqual([RGB]);
  expect(sent?.targets?.map((t) => t.modality)).toEqual([BIND]);
  await page.getByTestId('staging-accept').click();
  await editor.selectLayer(BIND);
  await expect.poll(() => page.getByTestId('reference-source').textContent()).toBe('ImageBind reference from the RGB layer');
  expect(await page.getByTestId('reference-thumbnail').count()).toBe(1);
  expect((await page.getByTestId('reference-tokens').textContent())?.trim().split(/\s+/)).toHaveLength(16);
  // Its gallery entry (tokens only) shows that picture too, not a black square.
  const thumb = page.getByTestId('gallery-entry').first().getByTestId('result-thumb');
  expect(await thumb.evaluate((el) => el.tagName)).toBe('CANVAS');
  await expect.poll(() => thumb.evaluate((el) => {
    const c = el as HTMLCanvasElement;
    return Array.from(c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? []).some((v, i) => i % 4 !== 3 && v > 0);
  })).toBe(true);
  await shot('official-ref-5-predicted-from-rgb.png');
  expect(studio.consoleErrors).toEqual([]);
}, 600_000);

test('a reference predicted without the RGB layer has no picture: its gallery entry says "16 tokens", not a black square', async () => {
  await setRoles(page, { [RGB]: 'ignore', [DINO]: 'condition', [SEMSEG]: 'ignore', [BIND]: 'generate' });
  await page.getByTestId('generate').click();
  await page.getByTestId('staging').waitFor({ timeout: 240_000 });
  await expect.poll(() => page.getByTestId('generation-progress').count(), { timeout: 120_000 }).toBe(0);
  expect(await page.getByTestId('generation-error').count()).toBe(0);
  expect(requests.at(-1)?.targets?.map((t) => t.modality)).toEqual([BIND]);
  await page.getByTestId('staging-accept').click();
  await editor.selectLayer(BIND);
  await expect.poll(() => page.getByTestId('reference-source').textContent()).toBe('ImageBind reference: predicted, no preview');
  const thumb = page.getByTestId('gallery-entry').first().getByTestId('result-thumb');
  expect(await thumb.evaluate((el) => el.tagName)).toBe('SPAN');
  expect(await thumb.textContent()).toBe('16 tokens');
  // Its layer row shows the reference icon, not a dark square that reads as an empty layer.
  const bindRow = page.locator('[data-testid="layer-list"] > li').filter({ has: page.getByTestId(`label-${BIND}`) });
  expect(await bindRow.locator('canvas.thumb').count()).toBe(0);
  expect(await bindRow.locator('.kind').textContent()).toBe('❖');
  await page.getByTestId('gallery-entry').first().scrollIntoViewIfNeeded();
  await shot('official-ref-6-gallery-tokens-only.png');
  expect(studio.consoleErrors).toEqual([]);
}, 600_000);
