import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { artifactsDir as artifacts, openStudio, type StudioSession } from './browser';
import { EditorPage } from './editor-page';

/**
 * An accessibility scan (axe-core, WCAG 2 A/AA rules) of each screen of the editor: the first
 * screen, a task chosen, Advanced open, a result staged on the canvas; no serious or critical
 * violations. Also: every control is reachable by keyboard.
 */
// Evaluated through the DevTools protocol: the page's CSP (script-src 'self') rightly refuses injected tags.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let studio: StudioSession;
let page: Page;
let editor: EditorPage;
let consoleErrors: string[];

beforeAll(async () => {
  studio = await openStudio({ width: 1440, height: 900 });
  ({ page, consoleErrors } = studio);
  editor = new EditorPage(page);
  await page.getByText(/Inference host: ready/).waitFor({ timeout: 20_000 });
});

afterAll(() => studio?.close());

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

async function scan(screen: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations;
  });
  await page.screenshot({ path: join(artifacts, `a11y-${screen}.png`) });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${screen}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => `${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}`).join(' | ')}`);
}

test('no serious or critical accessibility violations on any screen', async () => {
  const found: string[] = [];
  await page.getByTestId('prompt-bar').waitFor();
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
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(found).toEqual([]);
  expect(consoleErrors).toEqual([]);
}, 240_000);
