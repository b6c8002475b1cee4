import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { makeFolder } from '../../models/registry/make-folder';
import { readTextFile } from '../../models/registry/read-text';
import type { AutosaveRecord } from '../../preload/contract/projects';
import { atomicWrite } from './atomic-write';
import { FileServiceError } from './errors';
import { readProjectFile } from './read-project';

const AUTOSAVE_FILE = 'autosave.4mproj';
const META_FILE = 'autosave.json';
/** {savedAt, projectPath}: a path is at most a few KiB; a pipe or device under the name is refused. */
const MAX_META_BYTES = 64 * 1024;
const Meta = z.object({ savedAt: z.number(), projectPath: z.string().nullable() });

/**
 * The crash-recovery copy in the app's own folder (userData/autosave; the harness uses a temp
 * folder): the project bytes plus which file they belong to. Both written atomically; the
 * bytes first, so a crash between the two leaves bytes with the older (or no) metadata.
 */
export class AutosaveStore {
  constructor(
    readonly dir: string,
    private readonly maxBytes: number,
  ) {}

  async write(bytes: Uint8Array, projectPath: string | null, savedAt: number): Promise<void> {
    await makeFolder(this.dir);
    await atomicWrite(join(this.dir, AUTOSAVE_FILE), bytes);
    await atomicWrite(join(this.dir, META_FILE), new TextEncoder().encode(JSON.stringify({ savedAt, projectPath })));
  }

  async read(): Promise<AutosaveRecord | null> {
    const path = join(this.dir, AUTOSAVE_FILE);
    let project;
    try {
      project = await readProjectFile(path, this.maxBytes);
    } catch (error) {
      if (error instanceof FileServiceError && error.code === 'not-found') return null;
      throw error;
    }
    const meta = await this.#meta();
    const projectPath = meta?.projectPath ?? null;
    return {
      bytes: project.bytes,
      savedAt: meta?.savedAt ?? project.modifiedAt,
      projectPath,
      projectSavedAt: projectPath ? await mtime(projectPath) : null,
    };
  }

  async clear(): Promise<void> {
    await rm(join(this.dir, AUTOSAVE_FILE), { force: true });
    await rm(join(this.dir, META_FILE), { force: true });
  }

  async #meta(): Promise<z.infer<typeof Meta> | null> {
    try {
      const parsed = Meta.safeParse(JSON.parse(await readTextFile(join(this.dir, META_FILE), MAX_META_BYTES)));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }
}

async function mtime(path: string): Promise<number | null> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return null;
  }
}
