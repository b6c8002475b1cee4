import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { rebuildCheckpoint, writeOfficialCheckpoint, type CheckpointFixture } from '../unit/models/engine/fm/official-fixture';
import { officialSequenceTokenizerJson } from '../unit/models/tokenizers/tokenizer-fixture';
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

/** The id (and folder name under `root`) of the 4M-21-layout FM fixture the files import. */
export const FM_FIXTURE = '4M-21-fixture';

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

export interface OfficialSuiteOptions {
  /** Writes the official-format folders the file imports, under `root` (before the app starts). */
  readonly prepare: (root: string) => void;
  readonly watchRequests?: boolean;
  /** Takes each session as it opens: the file keeps studio, page, editor… in its own variables. */
  readonly opened: (session: OfficialSession) => void;
}

export interface OfficialSuite extends OfficialFolders {
  /** Opens the app again on the same folders (after the file closed it, to see what a restart keeps). */
  readonly open: () => Promise<void>;
}

/**
 * A file's whole set-up: its folders, a beforeAll that writes the model folders and opens the app,
 * and an afterAll that closes the last session opened and removes the folders.
 */
export function officialSuite(name: string, options: OfficialSuiteOptions): OfficialSuite {
  const folders = officialFolders(name);
  let studio: StudioSession | undefined;
  const open = async (): Promise<void> => {
    const session = await openOfficialSession(folders.dataDir, { watchRequests: options.watchRequests });
    studio = session.studio;
    options.opened(session);
  };
  beforeAll(async () => {
    options.prepare(folders.root);
    await open();
  }, 300_000);
  afterAll(() => closeOfficialSession(studio, folders));
  return { ...folders, open };
}

/** Waits until the header says the host has `model` open (its first load can take minutes under load). */
export async function hostReady(page: Page, model: string): Promise<void> {
  await page.getByText(new RegExp(`Inference host: ready · ${model} on`)).waitFor({ timeout: 240_000 });
}

/** In the open Models dialog: Use `model`, wait for the host, close the dialog, and wait for the editor's 224 px layout. */
export async function useModel(page: Page, editor: EditorPage, model: string): Promise<void> {
  await page.getByTestId(`use-${model}`).click();
  await hostReady(page, model);
  await page.getByTestId('close-models').click();
  await expect.poll(() => editor.canvasSize(), { timeout: 30_000 }).toBe('224 × 224 px, 14 × 14 tokens');
}

/** Sets the layers' roles in the layers panel, in the order given. */
export async function setRoles(page: Page, roles: Record<string, 'condition' | 'generate' | 'ignore'>): Promise<void> {
  for (const [id, role] of Object.entries(roles)) await page.getByTestId(`role-${id}`).selectOption(role);
}

/**
 * The FM fixture under `root`/FM_FIXTURE with a WordPiece file holding 4M's sequence words
 * (coordinates, COCO's classes) and the SAM-instance tokenizer beside it: boxes, palettes, image
 * controls and Objects (SAM).
 */
export function writeSequenceFolders(root: string): void {
  const folder = join(root, FM_FIXTURE);
  mkdirSync(join(folder, 'fm'), { recursive: true });
  writeOfficialCheckpoint(join(folder, 'fm'));
  writeFileSync(join(folder, 'text_tokenizer_4m_wordpiece_30k.json'), JSON.stringify(officialSequenceTokenizerJson()));
  const samFixture = join(__dirname, '../fixtures/official-vqvae-sam');
  const samDir = join(folder, 'tokenizers', 'sam-instance_1k_64');
  mkdirSync(samDir, { recursive: true });
  rebuildCheckpoint(JSON.parse(readFileSync(join(samFixture, 'checkpoint.json'), 'utf8')) as CheckpointFixture, samFixture, samDir);
}
