import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { makeFolder } from '../../models/registry/make-folder';
import { readTextFile } from '../../models/registry/read-text';
import {
  MAX_PROJECT_BYTES,
  PROJECT_EXTENSION,
  projectNameOf,
  type AutosaveRecord,
  type OpenedProject,
  type RecentProject,
  type SavedProject,
} from '../../preload/contract/projects';
import { atomicWrite, type AtomicWriteHooks } from './atomic-write';
import { AutosaveStore } from './autosave-store';
import { describeFsError, FileServiceError } from './errors';
import { PathPolicy } from './path-policy';
import { readProjectFile } from './read-project';
import { parseRecent, serializeRecent, touchRecent, type RecentEntry } from './recent-list';
import { SerialQueue } from './serial';
import { checkProjectBytes } from './verify';

/** Where paths come from: native dialogs in Electron, a project folder in the harness. */
export interface FileDialogs {
  /** An absolute path to save to, or null when the artist cancels. */
  chooseSavePath(suggestedName: string): Promise<string | null>;
  chooseOpenPath(): Promise<string | null>;
}

export interface ProjectServiceOptions {
  /** App state (recent-projects.json): Electron's userData, a temp dir in the harness. */
  stateDir: string;
  /** Crash-recovery autosave folder. */
  autosaveDir: string;
  maxBytes?: number;
  now?: () => number;
  /** Test seam for crash simulation. */
  writeHooks?: AtomicWriteHooks;
  caseInsensitivePaths?: boolean;
  /** Told each project opened or saved (Electron adds it to the OS's recent documents). */
  onRecent?: (path: string) => void;
}

const RECENT_FILE = 'recent-projects.json';
/** Ten paths and dates: a few KiB; far below this. */
const MAX_RECENT_FILE_BYTES = 1024 * 1024;

/**
 * Project files for the renderer, in plain Node (no Electron), so it is unit-tested directly:
 * every write atomic, every path one the artist picked, every read size-limited and checked.
 */
export class ProjectService {
  readonly #policy: PathPolicy;
  readonly #queue = new SerialQueue();
  readonly #autosave: AutosaveStore;
  readonly #maxBytes: number;
  readonly #now: () => number;
  #recent: RecentEntry[] = [];

  private constructor(private readonly options: ProjectServiceOptions) {
    this.#policy = new PathPolicy(options.caseInsensitivePaths);
    this.#maxBytes = options.maxBytes ?? MAX_PROJECT_BYTES;
    this.#now = options.now ?? Date.now;
    this.#autosave = new AutosaveStore(options.autosaveDir, this.#maxBytes);
  }

  static async create(options: ProjectServiceOptions): Promise<ProjectService> {
    const service = new ProjectService(options);
    await service.#loadRecent();
    return service;
  }

  async save(path: string, bytes: Uint8Array): Promise<SavedProject> {
    const target = this.#policy.check(path);
    return this.#write(target, bytes);
  }

  async saveAs(suggestedName: string, bytes: Uint8Array, dialogs: FileDialogs): Promise<SavedProject | { canceled: true }> {
    const chosen = await dialogs.chooseSavePath(suggestedName);
    if (!chosen) return { canceled: true };
    const withExtension = chosen.toLowerCase().endsWith(PROJECT_EXTENSION) ? chosen : `${chosen}${PROJECT_EXTENSION}`;
    return this.#write(this.#policy.allow(withExtension), bytes);
  }

  /**
   * A project the OS handed to the app (a double-clicked file, the command line): the artist
   * chose it as surely as in a dialog, so the renderer may now open it by path.
   */
  grant(path: string): string {
    return this.#policy.allow(path);
  }

  async open(path: string | undefined, dialogs: FileDialogs): Promise<OpenedProject | { canceled: true }> {
    let target: string;
    if (path === undefined) {
      const chosen = await dialogs.chooseOpenPath();
      if (!chosen) return { canceled: true };
      target = this.#policy.allow(chosen);
    } else {
      target = this.#policy.check(path);
    }
    const { bytes, modifiedAt } = await readProjectFile(target, this.#maxBytes);
    await this.#touchRecent(target);
    return { path: target, name: projectNameOf(target), bytes, modifiedAt };
  }

  async recent(): Promise<RecentProject[]> {
    return Promise.all(this.#recent.map(async (e) => ({ ...e, exists: await isFile(e.path) })));
  }

  async writeAutosave(bytes: Uint8Array, projectPath: string | null): Promise<{ savedAt: number }> {
    const project = projectPath === null ? null : this.#policy.check(projectPath);
    this.#checkSize(bytes, 'autosave');
    checkProjectBytes(bytes, 'autosave', 'invalid-request');
    const savedAt = this.#now();
    await this.#queue.run(this.#autosave.dir, () => this.#autosave.write(bytes, project, savedAt));
    return { savedAt };
  }

  async readAutosave(): Promise<AutosaveRecord | null> {
    const record = await this.#queue.run(this.#autosave.dir, () => this.#autosave.read());
    // The path was checked when the autosave was written; recovering may save back to it.
    if (record?.projectPath) this.#policy.allow(record.projectPath);
    return record;
  }

  async clearAutosave(): Promise<void> {
    await this.#queue.run(this.#autosave.dir, () => this.#autosave.clear());
  }

  async #write(path: string, bytes: Uint8Array): Promise<SavedProject> {
    this.#checkSize(bytes, path);
    checkProjectBytes(bytes, path, 'invalid-request');
    await this.#queue.run(path, async () => {
      try {
        await atomicWrite(path, bytes, this.options.writeHooks);
      } catch (error) {
        throw describeFsError(error, path, 'write');
      }
    });
    await this.#touchRecent(path);
    return { path, name: projectNameOf(path), savedAt: this.#now() };
  }

  #checkSize(bytes: Uint8Array, what: string): void {
    if (bytes.byteLength > this.#maxBytes) {
      throw new FileServiceError('too-large', `Refusing to write ${what}: ${bytes.byteLength} bytes is over the ${this.#maxBytes}-byte limit`);
    }
  }

  async #touchRecent(path: string): Promise<void> {
    const caseless = this.options.caseInsensitivePaths ?? (process.platform === 'win32' || process.platform === 'darwin');
    const same = (a: string, b: string): boolean => (caseless ? a.toLowerCase() === b.toLowerCase() : a === b);
    this.#recent = touchRecent(this.#recent, path, this.#now(), same);
    this.options.onRecent?.(path);
    const file = join(this.options.stateDir, RECENT_FILE);
    try {
      await makeFolder(this.options.stateDir);
      await this.#queue.run(file, () => atomicWrite(file, new TextEncoder().encode(serializeRecent(this.#recent))));
    } catch {
      // The list is a convenience: failing to remember it must not fail the save.
    }
  }

  async #loadRecent(): Promise<void> {
    try {
      // Bounded, and a pipe or device under its name is refused (a FIFO would hang main's start-up).
      this.#recent = parseRecent(await readTextFile(join(this.options.stateDir, RECENT_FILE), MAX_RECENT_FILE_BYTES));
    } catch {
      this.#recent = [];
    }
    // Paths in the list were picked by the artist in an earlier session.
    this.#recent = this.#recent.filter((e) => {
      try {
        this.#policy.allow(e.path);
        return true;
      } catch {
        return false;
      }
    });
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
