import type { Page } from 'playwright-core';

/**
 * Imports a model folder in the open Models dialog and waits until it is installed, accepting the
 * official weights' licence when it is asked for (a second import in one session is not asked).
 */
export async function importModelFolder(page: Page, folder: string, id: string): Promise<void> {
  await page.getByTestId('import-path').fill(folder);
  await page.getByTestId('models-import-folder').click();
  const installed = page.getByTestId('models-status').filter({ hasText: `Installed ${id}.` });
  const licence = page.getByTestId('models-prompt').filter({ hasText: '4M model weights licence' });
  await installed.or(licence).first().waitFor({ timeout: 180_000 });
  if (await licence.isVisible()) await page.getByTestId('accept-license').click();
  await installed.waitFor({ timeout: 180_000 });
}
