import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { artifactsDir as artifacts, type StudioSession } from './browser';
import { openEditor, type EditorPage } from './editor-page';
import { watchJobRequests, type SentRequest } from './job-requests';

/**
 * The token choice per image target (Advanced): "Sample" (default) or "Faithful (expected code)",
 * on the shipped model, whose tokenizers declare FSQ levels. Checked where it matters: the job the
 * page sends to the inference host carries tokenChoice 'expected-code' for that target (and nothing
 * for Sample), and the host applied it: at one seed, a Faithful result does not change with the
 * temperature (no token is sampled), where a sampled one does. A recalled result brings the choice back.
 */
const RGB = 'tok_rgb@128';

let studio: StudioSession;
let page: Page;
let editor: EditorPage;
/** Generation jobs the page sent over the harness WebSocket, as sent. */
let requests: SentRequest[] = [];

beforeAll(async () => {
  ({ studio, editor } = await openEditor({ width: 1440, height: 900 }));
  page = studio.page;
  requests = watchJobRequests(page);
  await page.reload();
  await page.getByText(/Inference host: ready/).waitFor({ timeout: 90_000 });
}, 180_000);

afterAll(() => studio?.close());

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(artifacts, name) });
const choice = () => page.getByTestId(`token-choice-${RGB}`);
const POINTS: [number, number][] = [[10, 10], [40, 20], [64, 64], [90, 100], [120, 120], [20, 110], [100, 30], [64, 5]];

/** Generate, wait for the staged result, read it off the canvas at POINTS, discard or accept it. */
async function generate(then: 'discard' | 'accept'): Promise<number[][]> {
  const before = requests.length;
  await page.getByTestId('generate').click();
  await page.getByTestId('staging').waitFor({ timeout: 240_000 });
  await expect.poll(() => page.getByTestId('generation-progress').count(), { timeout: 240_000 }).toBe(0);
  expect(await page.getByTestId('generation-error').count()).toBe(0);
  expect(requests.length).toBe(before + 1);
  const pixels: number[][] = [];
  for (const [x, y] of POINTS) pixels.push(await editor.pixel(x, y));
  await page.getByTestId(then === 'accept' ? 'staging-accept' : 'staging-discard').click();
  await expect.poll(() => page.getByTestId('staging').count()).toBe(0);
  return pixels;
}

async function setTemperature(value: string): Promise<void> {
  await page.getByLabel('Temperature', { exact: true }).fill(value);
  await page.getByLabel('Temperature', { exact: true }).press('Tab');
}

test('Advanced offers Sample (default) or Faithful per image target, explained on hover, reachable by keyboard', async () => {
  await page.getByTestId('task-sketch').click();
  await page.getByTestId('class-sky').click();
  await editor.drag([64, 10], [64, 10], 1); // the fill tool: a sky over the whole map
  await page.keyboard.press('b');
  await page.getByTestId('brush-size').fill('40');
  await page.getByTestId('class-ground').click();
  await editor.drag([0, 112], [128, 112]);
  await page.getByTestId('advanced').locator('summary').click();
  expect(await choice().isEnabled()).toBe(true);
  expect(await choice().inputValue()).toBe('sample');
  expect(await choice().locator('option').allTextContents()).toEqual(['Sample', 'Faithful (expected code)']);
  const help = (await choice().locator('xpath=..').getAttribute('title')) ?? '';
  expect(help).toMatch(/deterministic, smoother fills, best for masked regeneration and inpainting/);
  expect(help).toMatch(/No variety across seeds/);
  // Its help is also the select's description, for those who do not hover.
  expect(await page.locator(`#${await choice().getAttribute('aria-describedby')}`).textContent()).toBe(help);
  expect(await page.getByTestId('token-choice-why').count()).toBe(0);
  await choice().focus();
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(`token-choice-${RGB}`);
  await choice().selectOption('expected-code');
  await page.getByTestId('advanced').scrollIntoViewIfNeeded();
  await shot('token-choice-1-advanced.png');
}, 120_000);

test('Faithful reaches the host as tokenChoice expected-code, and the host applies it: the temperature changes nothing', async () => {
  const faithful = await generate('accept');
  expect(requests.at(-1)?.targets).toEqual([expect.objectContaining({ modality: RGB, tokenChoice: 'expected-code' })]);
  await setTemperature('3');
  const hot = await generate('discard');
  expect(requests.at(-1)?.targets).toEqual([expect.objectContaining({ modality: RGB, tokenChoice: 'expected-code', temperature: 3 })]);
  expect(hot).toEqual(faithful);
  // Sampling at that temperature does change the picture, and its job says nothing about the choice.
  await choice().selectOption('sample');
  const sampled = await generate('discard');
  const job = requests.at(-1)?.targets?.[0];
  expect(job).toMatchObject({ modality: RGB, temperature: 3 });
  expect(job).not.toHaveProperty('tokenChoice');
  expect(sampled).not.toEqual(faithful);
  await shot('token-choice-2-sampled.png');
}, 600_000);

test('recalling the Faithful result puts the choice back in the panel', async () => {
  expect(await choice().inputValue()).toBe('sample');
  await page.locator('[data-testid="gallery"] li').first().getByTestId('recall').click();
  expect(await choice().inputValue()).toBe('expected-code');
  expect(await page.getByTestId('generation-message').textContent()).toMatch(/^Recalled seed/);
  expect(studio.consoleErrors).toEqual([]);
}, 60_000);

test('Smoothing: 1 for a sketch, 0 for a caption, sent with sampled pictures only, and recalled with its result', async () => {
  const smoothing = page.getByTestId('smoothing');
  await choice().selectOption('sample');
  await page.getByTestId('task-caption').click();
  expect(await smoothing.inputValue()).toBe('0');
  await page.getByTestId('task-sketch').click();
  expect(await smoothing.inputValue()).toBe('1');
  expect((await smoothing.locator('xpath=..').getAttribute('title')) ?? '').toMatch(/agrees with the patches already drawn around it/);
  await smoothing.fill('1.5');
  await smoothing.press('Tab');
  await generate('accept');
  expect(requests.at(-1)?.targets).toEqual([expect.objectContaining({ modality: RGB, neighbourAgreement: 1.5 })]);
  await smoothing.fill('99');
  await smoothing.press('Tab');
  expect(await smoothing.inputValue()).toBe('10');
  await page.locator('[data-testid="gallery"] li').first().getByTestId('recall').click();
  expect(await smoothing.inputValue()).toBe('1.5');
  await page.getByTestId('advanced').scrollIntoViewIfNeeded();
  await shot('token-choice-3-smoothing.png');
  expect(studio.consoleErrors).toEqual([]);
}, 600_000);
