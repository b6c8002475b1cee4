// Where the autosave copy lives: main's autosave channel (a file in the app's data folder,
// written atomically) when the app has a file channel, else IndexedDB in the browser.
import type { ProjectsApi } from '../../../preload/contract/projects';
import { deleteAutosave, readAutosave, readExplicitSaveTime, writeAutosave, writeExplicitSaveTime } from './autosaveStore';

export interface StoredAutosave {
  readonly bytes: Uint8Array;
  /** Wall clock, ms since epoch. */
  readonly savedAt: number;
  /** When the artist last saved explicitly (null: never). */
  readonly explicitSavedAt: number | null;
  /** The project file the autosave belongs to, when it had one. */
  readonly projectPath: string | null;
}

export interface AutosaveStorage {
  write(bytes: Uint8Array, savedAt: number): Promise<void>;
  read(): Promise<StoredAutosave | null>;
  clear(): Promise<void>;
  markExplicitSave(at: number): Promise<void>;
}

export const indexedDbAutosave: AutosaveStorage = {
  write: (bytes, savedAt) => writeAutosave({ bytes, savedAt }),
  async read() {
    const [record, explicit] = await Promise.all([readAutosave(), readExplicitSaveTime()]);
    return record ? { bytes: record.bytes, savedAt: record.savedAt, explicitSavedAt: explicit, projectPath: null } : null;
  },
  clear: deleteAutosave,
  markExplicitSave: writeExplicitSaveTime,
};

/** Main's autosave: the project file's own mtime is the explicit-save time. */
export function nativeAutosave(files: ProjectsApi, projectPath: () => string | null): AutosaveStorage {
  return {
    async write(bytes) {
      const r = await files.call('autosave:write', { bytes, projectPath: projectPath() });
      if (!r.ok) throw new Error(r.error.message);
    },
    async read() {
      const r = await files.call('autosave:read', {});
      if (!r.ok) throw new Error(r.error.message);
      const v = r.value;
      return v ? { bytes: v.bytes, savedAt: v.savedAt, explicitSavedAt: v.projectSavedAt, projectPath: v.projectPath } : null;
    },
    async clear() {
      const r = await files.call('autosave:clear', {});
      if (!r.ok) throw new Error(r.error.message);
    },
    markExplicitSave: async () => undefined,
  };
}

/** Chooses once the file channel is known; calls before that wait for it. */
export function autosaveStorage(files: Promise<ProjectsApi | null>, projectPath: () => string | null): AutosaveStorage {
  const chosen = files.then((f) => (f ? nativeAutosave(f, projectPath) : indexedDbAutosave));
  return {
    write: async (bytes, savedAt) => (await chosen).write(bytes, savedAt),
    read: async () => (await chosen).read(),
    clear: async () => (await chosen).clear(),
    markExplicitSave: async (at) => (await chosen).markExplicitSave(at),
  };
}
