import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { artifactsDir as artifacts, type StudioSession } from './browser';
import { openEditor, type EditorPage } from './editor-page';

/**
 * An accessibility scan (axe-core, WCAG 2 A/AA rules) of each screen of the editor: the first
 * screen, a task chosen, Advanced open, a result staged on the canvas; no serious or critical
 * violations, and no raw modality id ("tok_rgb@128") in what a person reads or hears (visible
 * text, aria-label, title, placeholder, alt): layers go by the model's display names. Also:
 * every control is reachable by keyboard.
 */
// Evaluated through the DevTools protocol: the page's CSP (script-src 'self') rightly refuses injected tags.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const manifest = JSON.parse(readFileSync(new URL('../../models/zoo/world-4m-small/manifest.json', import.meta.url), 'utf8')) as { modalities: { name: string }[] };
/** Ids no artist should read: "tok_rgb@128", "color_palette", "det" (not "caption", an English word that is also its name). */
const RAW_IDS = manifest.modalities.map((m) => m.name).filter((id) => /[@_]/.test(id) || id === 'det');

let studio: StudioSession;
let page: Page;
let editor: EditorPage;
let consoleErrors: string[];

beforeAll(async () => {
  ({ studio, editor } = await openEditor({ width: 1440, height: 900 }));
  ({ page, consoleErrors } = studio);
}, 120_000);

afterAll(() => studio?.close());

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Where a raw modality id shows on the page now. */
function rawIds(): Promise<string[]> {
  return page.evaluate((ids) => {
    const escape = (id: string): string => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern = new RegExp(ids.map((id) => `(?<![\\w@])${escape(id)}(?![\\w@])`).join('|'));
    const hits: string[] = [];
    const text = document.body.innerText.match(pattern);
    if (text) hits.push(`visible text "${text[0]}"`);
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const attr of ['aria-label', 'title', 'placeholder', 'alt']) {
        const value = el.getAttribute(attr);
        if (value && pattern.test(value)) hits.push(`${el.tagName.toLowerCase()}[${attr}="${value}"]`);
      }
    }
    return hits;
  }, RAW_IDS);
}

async function scan(screen: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations;
  });
  await page.screenshot({ path: join(artifacts, `a11y-${screen}.png`) });
  const raw = await rawIds();
  return [...raw.map((r) => `${screen}: raw modality id in ${r}`), ...violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${screen}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => `${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}`).join(' | ')}`)];
}

test('no serious or critical accessibility violations on any screen', async () => {
  const found: string[] = [];
  await page.getByTestId('prompt-bar').waitFor();
  // The id check itself: a title with a raw id is caught.
  await page.evaluate(() => document.querySelector('[data-testid="prompt-bar"]')?.setAttribute('title', 'tok_rgb@128'));
  expect(await rawIds()).toEqual(['div[title="tok_rgb@128"]']);
  await page.evaluate(() => document.querySelector('[data-testid="prompt-bar"]')?.removeAttribute('title'));
  found.push(...(await scan('first-screen')));
  await page.getByTestId('task-sketch').click();
  found.push(...(await scan('sketch-task')));
  await page.getByTestId('class-sky').click();
  await editor.drag([64, 10], [64, 10], 1);
  await page.getByTestId('advanced').locator('summary').click();
  found.push(...(await scan('advanced')));
  await page.getByTestId('generate').click();
  await page.getByTestId('staging').waitFor({ timeout: 240_000 });
  found.push(...(await scan('staged')));
  // Keyboard: Tab reaches the tasks, the prompt, Generate, the staging strip and the layers.
  await page.getByTestId('project-name').focus();
  const reached = new Set<string>();
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');
    if (id) reached.add(id);
  }
  for (const id of ['task-sketch', 'prompt', 'quality', 'generate', 'overlay-layer', 'zoom-100', 'staging-accept', 'staging-discard', 'select-tok_rgb@128', 'role-tok_rgb@128']) expect([...reached]).toContain(id);
  await page.getByTestId('staging-accept').focus();
  await page.keyboard.press('Space');
  await page.getByTestId('staging').waitFor({ state: 'detached' });
  // The light theme follows the OS, under the same rules.
  await page.emulateMedia({ colorScheme: 'light' });
  found.push(...(await scan('light-theme')));
  // The shortcut list (the ? key), in both themes.
  await page.keyboard.press('Shift+Slash');
  await page.getByTestId('shortcuts-dialog').waitFor();
  found.push(...(await scan('shortcuts-light')));
  await page.emulateMedia({ colorScheme: 'dark' });
  found.push(...(await scan('shortcuts')));
  await page.keyboard.press('Escape');
  await page.getByTestId('shortcuts-dialog').waitFor({ state: 'hidden' });
  expect(found).toEqual([]);
  expect(consoleErrors).toEqual([]);
}, 240_000);

test('native controls follow the theme: light fields and buttons in the light Models dialog, dark ones in the dark', async () => {
  // Brightness (0–255) of a control's used background, as the browser resolves its system colours.
  const brightness = (id: string): Promise<number> => page.getByTestId(id).evaluate((el) => {
    const [r = 0, g = 0, b = 0] = (getComputedStyle(el).backgroundColor.match(/\d+(\.\d+)?/g) ?? []).map(Number);
    return 0.299 * r + 0.587 * g + 0.114 * b;
  });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.getByTestId('open-models').click();
  await page.getByTestId('models-import-folder').waitFor();
  // The root said color-scheme: dark whatever the OS: these were drawn #6b6b6b and #3b3b3b on a white dialog.
  expect(await brightness('models-import-folder')).toBeGreaterThan(200);
  expect(await brightness('import-path')).toBeGreaterThan(200);
  await page.screenshot({ path: join(artifacts, 'a11y-models-light.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await brightness('models-import-folder')).toBeLessThan(128);
  await page.keyboard.press('Escape');
  await page.getByTestId('models-import-folder').waitFor({ state: 'hidden' });
  expect(consoleErrors).toEqual([]);
});
