// Pure autosave policy: when to write the autosave copy, and what to offer on startup.
// The caller owns timers and files; main writes the bytes atomically.

export interface AutosavePolicy {
  /** Quiet time after the last change before writing. */
  readonly debounceMs: number;
  /** Upper bound on unsaved time while changes keep coming (a long painting session). */
  readonly maxWaitMs: number;
}

export const DEFAULT_AUTOSAVE_POLICY: AutosavePolicy = { debounceMs: 2_000, maxWaitMs: 30_000 };

/** Times in ms (any monotonic clock). `dirtySince` is the first change not yet autosaved. */
export interface DirtyState {
  readonly dirtySince: number | null;
  readonly lastChangeAt: number | null;
}

/** When the next autosave should run, or null when there is nothing to save. */
export function nextAutosaveAt(state: DirtyState, policy: AutosavePolicy = DEFAULT_AUTOSAVE_POLICY): number | null {
  if (state.dirtySince === null || state.lastChangeAt === null) return null;
  return Math.min(state.lastChangeAt + policy.debounceMs, state.dirtySince + policy.maxWaitMs);
}

export function isAutosaveDue(now: number, state: DirtyState, policy: AutosavePolicy = DEFAULT_AUTOSAVE_POLICY): boolean {
  const at = nextAutosaveAt(state, policy);
  return at !== null && now >= at;
}

/** A change arrived (only recorded changes and accepted results count; previews don't). */
export function markDirty(state: DirtyState, now: number): DirtyState {
  return { dirtySince: state.dirtySince ?? now, lastChangeAt: now };
}

export const CLEAN: DirtyState = { dirtySince: null, lastChangeAt: null };

export interface SavedFileInfo {
  /** Wall-clock modification time, ms since epoch. */
  readonly mtimeMs: number;
}

export type RecoveryDecision =
  | { readonly action: 'open-project' } // no autosave, or it is not newer: open normally
  | { readonly action: 'offer-recovery'; readonly reason: 'never-saved' | 'newer-than-save' }
  | { readonly action: 'delete-stale-autosave' }; // an autosave older than the explicit save

/**
 * On startup or open: an autosave strictly newer than the explicit save (or with no explicit
 * save at all) holds work the artist may have lost in a crash, so offer it; never pick silently.
 */
export function decideRecovery(explicitSave: SavedFileInfo | null, autosave: SavedFileInfo | null): RecoveryDecision {
  if (!autosave) return { action: 'open-project' };
  if (!explicitSave) return { action: 'offer-recovery', reason: 'never-saved' };
  if (autosave.mtimeMs > explicitSave.mtimeMs) return { action: 'offer-recovery', reason: 'newer-than-save' };
  return { action: 'delete-stale-autosave' };
}
