import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { rebuildCheckpoint, writeOfficialCheckpoint, type CheckpointFixture } from '../unit/models/engine/fm/official-fixture';
import { artifactsDir as artifacts, repoRoot, type StudioSession } from './browser';
import { openEditor, type EditorPage } from './editor-page';
import { importModelFolder } from './models-dialog';

/**
 * A painted segmentation as the condition of an official 4M model (issue #14) in Chromium against the
 * built harness: the 4M-21-layout FM fixture with the semseg VQ-VAE and a WordPiece file is imported
 * and Used; the artist paints the Segmentation layer with COCO-named class brushes (sky, then a dog),
 * sets it to condition and the Caption to generate. The host reads the painted colours as the official
 * classes, encodes them with the semseg tokenizer and writes a caption. Random weights: the words are
 * noise; that the painted layer goes in and a caption comes back is what is checked.
 */
const dataDir = mkdtempSync(join(tmpdir(), '4m-e2e-painted-'));
const root = mkdtempSync(join(tmpdir(), '4m-e2e-painted-src-'));
const MODEL = '4M-21-fixture';
const SEMSEG = 'tok_semseg@224';

let studio: StudioSession;
let page: Page;
let editor: EditorPage;
/** The inputs of each generation job the page sent over the harness WebSocket. */
const jobInputs: Record<string, { kind: string }>[] = [];

beforeAll(async () => {
  const vqDir = join(repoRoot, 'test', 'fixtures', 'official-vqvae');
  const folder = join(root, MODEL);
  mkdirSync(join(folder, 'fm'), { recursive: true });
  mkdirSync(join(folder, 'tokenizers', 'semseg'), { recursive: true });
  writeOfficialCheckpoint(join(folder, 'fm'));
  rebuildCheckpoint(JSON.parse(readFileSync(join(vqDir, 'checkpoint.json'), 'utf8')) as CheckpointFixture, vqDir, join(folder, 'tokenizers', 'semseg'));
  copyFileSync(join(repoRoot, 'test', 'fixtures', 'tokenizers', 'wordpiece-4m-small.tokenizer.json'), join(folder, 'text_tokenizer_4m_wordpiece_30k.json'));
  ({ studio, editor } = await openEditor({ width: 1440, height: 900 }, { env: { FOURM_STUDIO_DATA_DIR: dataDir } }));
  page = studio.page;
  page.on('websocket', (ws) => {
    ws.on('framesent', (frame) => {
      const message = JSON.parse(String(frame.payload)) as { type?: string; request?: { request?: { inputs?: Record<string, { kind: string }> } } };
      if (message.type === 'job' && message.request?.request?.inputs) jobInputs.push(message.request.request.inputs);
    });
  });
  await page.reload();
}, 300_000);

afterAll(async () => {
  await studio?.close();
  rmSync(root, { recursive: true, force: true });
});

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(artifacts, name) });

test('paint a segmentation with COCO class brushes → generate the caption on an official model', async () => {
  await page.getByTestId('open-models').click();
  await importModelFolder(page, join(root, MODEL), MODEL);
  await page.getByTestId(`use-${MODEL}`).click();
  await page.getByText(new RegExp(`Inference host: ready · ${MODEL} on`)).waitFor({ timeout: 240_000 });
  await page.getByTestId('close-models').click();
  await expect.poll(() => page.getByText(/\d+×\d+ px · \d+×\d+ tokens/).first().textContent(), { timeout: 30_000 }).toMatch(/224×224 px · 14×14 tokens/);
  expect(await page.getByTestId('layer-caption').count()).toBe(1);

  await editor.selectLayer(SEMSEG);
  await page.keyboard.press('b');
  await page.getByTestId('brush-size').fill('60');
  await page.getByTestId('class-sky').click();
  await editor.drag([0, 40], [224, 40], 24);
  await page.getByTestId('class-dog').click();
  await editor.drag([80, 150], [150, 150], 12);
  await page.getByTestId(`role-${SEMSEG}`).selectOption('condition');
  await page.getByTestId('role-caption').selectOption('generate');
  await shot('official-painted-1-sketch.png');

  await page.getByTestId('generate').click();
  await page.getByTestId('staging').waitFor({ timeout: 240_000 });
  await expect.poll(() => page.getByTestId('generation-progress').count(), { timeout: 120_000 }).toBe(0);
  expect(await page.getByTestId('generation-error').count()).toBe(0);
  // The painted layer went to the host as pixels (the host encoded it; a refusal would be an error above).
  expect(jobInputs.at(-1)?.[SEMSEG]?.kind).toBe('image-pixels');
  await page.getByTestId('staging-accept').click();
  await expect.poll(() => page.locator('[data-testid="gallery"] li').count(), { timeout: 30_000 }).toBe(1);
  await shot('official-painted-2-caption.png');
  expect(studio.consoleErrors).toEqual([]);
}, 600_000);
