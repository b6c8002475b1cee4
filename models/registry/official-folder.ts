/**
 * Official 4M model folders (see engine/generate/official-model.ts for what runs them): the FM
 * checkpoint folder and tokenizer checkpoint folders as Hugging Face ships them, side by side:
 * `fm/`, `tokenizers/<layer>/`, optionally `text_tokenizer_4m_wordpiece_30k.json`. They have no
 * manifest.json; the registry finds them by folder name in the lookup folders.
 */
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelFolder } from './folders';

export const OFFICIAL_FM_DIR = 'fm';
export const OFFICIAL_TOKENIZERS_DIR = 'tokenizers';
export const OFFICIAL_TEXT_FILE = 'text_tokenizer_4m_wordpiece_30k.json';

const isDir = (p: string): Promise<boolean> => stat(p).then((s) => s.isDirectory(), () => false);
const exists = (p: string): Promise<boolean> => access(p).then(() => true, () => false);

/** Whether `dir` is laid out as an official model folder (an `fm/` folder, no package manifest). */
export async function isOfficialModelFolder(dir: string): Promise<boolean> {
  return (await isDir(join(dir, OFFICIAL_FM_DIR))) && !(await exists(join(dir, 'manifest.json')));
}

/** The official model folder named `id` in the first lookup folder that has one. */
export async function findOfficialModelFolder(folders: readonly ModelFolder[], id: string): Promise<string | undefined> {
  if (id.includes('/') || id.includes('\\') || id.startsWith('.')) return undefined;
  for (const folder of folders) {
    const dir = join(folder.path, id);
    if (await isOfficialModelFolder(dir)) return dir;
  }
  return undefined;
}
