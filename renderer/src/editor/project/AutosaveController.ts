// Autosave timing: recorded edits (never previews) mark the document dirty; the core's policy
// says when to write. Writes go to IndexedDB; on start the recovery decision is the core's.
import {
  CLEAN,
  decideRecovery,
  markDirty,
  nextAutosaveAt,
  restoreProject,
  saveProject,
  type DirtyState,
  type DocumentState,
  type DocumentStore,
} from '../../document';
import { deleteAutosave, readAutosave, readExplicitSaveTime, writeAutosave, writeExplicitSaveTime } from './autosaveStore';

export interface Recoverable {
  readonly doc: DocumentState;
  readonly savedAt: number;
}

export class AutosaveController {
  #dirty: DirtyState = CLEAN;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #unsubscribe: () => void;

  constructor(
    private readonly store: DocumentStore,
    private readonly onError: (message: string) => void,
    private readonly policy = { debounceMs: 1_500, maxWaitMs: 20_000 },
  ) {
    this.#unsubscribe = store.subscribe((change) => {
      if (!change.recorded) return;
      this.#dirty = markDirty(this.#dirty, performance.now());
      this.#schedule();
    });
  }

  /** Writes now if anything is unsaved (page hide, before a risky job). */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    if (this.#dirty.dirtySince === null) return;
    this.#dirty = CLEAN;
    try {
      await writeAutosave({ bytes: saveProject(this.store.state), savedAt: Date.now() });
    } catch (error) {
      this.onError(`Autosave failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** After an explicit save the autosave is redundant. */
  async savedExplicitly(): Promise<void> {
    clearTimeout(this.#timer);
    this.#dirty = CLEAN;
    await writeExplicitSaveTime(Date.now());
    await deleteAutosave();
  }

  async discard(): Promise<void> {
    await deleteAutosave();
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#unsubscribe();
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    const at = nextAutosaveAt(this.#dirty, this.policy);
    if (at !== null) this.#timer = setTimeout(() => void this.flush(), Math.max(0, at - performance.now()));
  }
}

/** What to offer on start: an autosave newer than the last explicit save, readable. */
export async function findRecoverable(): Promise<Recoverable | { error: string } | null> {
  const [autosave, explicit] = await Promise.all([readAutosave(), readExplicitSaveTime()]);
  const decision = decideRecovery(explicit === null ? null : { mtimeMs: explicit }, autosave ? { mtimeMs: autosave.savedAt } : null);
  if (decision.action === 'delete-stale-autosave') await deleteAutosave();
  if (decision.action !== 'offer-recovery' || !autosave) return null;
  try {
    return { doc: restoreProject(autosave.bytes), savedAt: autosave.savedAt };
  } catch (error) {
    return { error: `The autosaved copy could not be read (${error instanceof Error ? error.message : String(error)}).` };
  }
}
