// Autosave timing: recorded edits (never previews) mark the document dirty; the core's policy
// says when to write. Where the copy goes is the storage's business (main's autosave file or
// IndexedDB); on start the recovery decision is the core's.
import {
  CLEAN,
  decideRecovery,
  markDirty,
  nextAutosaveAt,
  restoreProjectReport,
  saveProject,
  type DirtyState,
  type DocumentState,
  type DocumentStore,
} from '../document';
import type { AutosaveStorage } from './autosaveStorage';

export interface Recoverable {
  readonly doc: DocumentState;
  readonly savedAt: number;
  /** The file the recovered work belongs to, if it had been saved. */
  readonly projectPath: string | null;
  /** Upscaled results of the copy that could not be read and were left out. */
  readonly notes: readonly string[];
}

export class AutosaveController {
  #dirty: DirtyState = CLEAN;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /**
   * While a crash copy is on offer (or still being looked for) nothing is written: the storage
   * has one slot, and an edit made before the artist chose would overwrite the work the offer is
   * about. Edits made meanwhile stay pending and are written on release.
   */
  #held = false;
  readonly #unsubscribe: () => void;

  constructor(
    private readonly store: DocumentStore,
    private readonly storage: AutosaveStorage,
    private readonly onError: (message: string) => void,
    private readonly policy = { debounceMs: 1_500, maxWaitMs: 20_000 },
  ) {
    this.#unsubscribe = store.subscribe((change) => {
      if (!change.recorded) return;
      this.#dirty = markDirty(this.#dirty, performance.now());
      this.#schedule();
    });
  }

  /** Writes now if anything is unsaved (page hide, before a risky job); nothing while held. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    if (this.#held || this.#dirty.dirtySince === null) return;
    this.#dirty = CLEAN;
    try {
      // Undone back to the saved (or opened) state: the file holds it, so there is nothing to recover.
      if (this.store.atSavedState) await this.storage.clear();
      else await this.storage.write(saveProject(this.store.state), Date.now());
    } catch (error) {
      this.onError(`Autosave failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** After an explicit save the autosave is redundant (a held crash copy is another document's: kept). */
  async savedExplicitly(): Promise<void> {
    clearTimeout(this.#timer);
    this.#dirty = CLEAN;
    if (this.#held) return;
    await this.storage.markExplicitSave(Date.now());
    await this.storage.clear();
  }

  /** Keeps the stored copy as it is until release() (a crash copy the artist has not decided on). */
  hold(): void {
    this.#held = true;
    clearTimeout(this.#timer);
  }

  /**
   * The artist decided (or there was nothing to offer): `dropStored` deletes the stored copy
   * first (Discard), then edits made while held are written.
   */
  async release(dropStored = false): Promise<void> {
    if (dropStored) await this.storage.clear();
    this.#held = false;
    await this.flush();
  }

  get held(): boolean {
    return this.#held;
  }

  /** Another document replaced this one (open, new): its pending autosave is moot. */
  async discard(): Promise<void> {
    clearTimeout(this.#timer);
    this.#dirty = CLEAN;
    await this.storage.clear();
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#unsubscribe();
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    if (this.#held) return;
    const at = nextAutosaveAt(this.#dirty, this.policy);
    if (at !== null) this.#timer = setTimeout(() => void this.flush(), Math.max(0, at - performance.now()));
  }
}

/** What to offer on start: an autosave newer than the last explicit save, readable. */
export async function findRecoverable(storage: AutosaveStorage): Promise<Recoverable | { error: string } | null> {
  let autosave;
  try {
    autosave = await storage.read();
  } catch (error) {
    return { error: `The autosaved copy could not be read (${error instanceof Error ? error.message : String(error)}).` };
  }
  const explicit = autosave?.explicitSavedAt ?? null;
  const decision = decideRecovery(explicit === null ? null : { mtimeMs: explicit }, autosave ? { mtimeMs: autosave.savedAt } : null);
  if (decision.action === 'delete-stale-autosave') await storage.clear();
  if (decision.action !== 'offer-recovery' || !autosave) return null;
  try {
    const { doc, notes } = restoreProjectReport(autosave.bytes);
    return { doc, notes, savedAt: autosave.savedAt, projectPath: autosave.projectPath };
  } catch (error) {
    return { error: `The autosaved copy could not be read (${error instanceof Error ? error.message : String(error)}).` };
  }
}
