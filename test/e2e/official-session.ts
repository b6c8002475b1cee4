import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { StudioSession } from './browser';
import { openEditor, type EditorPage } from './editor-page';
import { watchJobRequests, type SentRequest } from './job-requests';

/**
 * The set-up the official-model e2e files share: fresh folders, the editor opened at 1440 × 900 on
 * its own user data folder, and (where a file checks what the page asked for) the job requests.
 */
export interface OfficialFolders {
  /** The app's user data folder (models are installed into it). */
  readonly dataDir: string;
  /** Where the test writes the official-format model folders it imports. */
  readonly root: string;
}

export interface OfficialSession {
  readonly studio: StudioSession;
  readonly page: Page;
  readonly editor: EditorPage;
  /** Each generation request the page sent, in order (empty unless opened with `watchRequests`). */
  readonly requests: SentRequest[];
}

export function officialFolders(name: string): OfficialFolders {
  return {
    dataDir: mkdtempSync(join(tmpdir(), `4m-e2e-${name}-`)),
    root: mkdtempSync(join(tmpdir(), `4m-e2e-${name}-src-`)),
  };
}

export async function openOfficialSession(dataDir: string, options: { watchRequests?: boolean } = {}): Promise<OfficialSession> {
  const { studio, editor } = await openEditor({ width: 1440, height: 900 }, { env: { FOURM_STUDIO_DATA_DIR: dataDir } });
  const page = studio.page;
  if (!options.watchRequests) return { studio, page, editor, requests: [] };
  const requests = watchJobRequests(page);
  // The harness socket opened before the watch; a reload opens it again under watch.
  await page.reload();
  return { studio, page, editor, requests };
}

export async function closeOfficialSession(studio: StudioSession | undefined, folders: OfficialFolders): Promise<void> {
  await studio?.close();
  rmSync(folders.root, { recursive: true, force: true });
  rmSync(folders.dataDir, { recursive: true, force: true });
}

/** Waits until the header says the host has `model` open (its first load can take minutes under load). */
export async function hostReady(page: Page, model: string): Promise<void> {
  await page.getByText(new RegExp(`Inference host: ready · ${model} on`)).waitFor({ timeout: 240_000 });
}
