// Messages the artist should see but need not act on at once (which model is open and why, a
// project's model): shown as a strip under the header until dismissed, never a modal. Pure, so
// the rules are unit-tested.

export interface Notice {
  /** One notice per id: a newer one with the same id replaces it. */
  readonly id: string;
  readonly text: string;
  /** 'warn': something did not go as asked (a model missing or not reopened); 'info': it did, differently than before. */
  readonly tone: 'info' | 'warn';
}

/** `list` with `notice` added, replacing the one with its id (so it is shown once, in its latest words). */
export function withNotice(list: readonly Notice[], notice: Notice): Notice[] {
  return [...list.filter((n) => n.id !== notice.id), notice];
}

/** Upscaled results of an opened project that could not be read (restoreProjectReport's notes); null when none. */
export function skippedUpscaledNotice(file: string, notes: readonly string[]): Notice | null {
  if (notes.length === 0) return null;
  const n = notes.length;
  const shown = notes.slice(0, 3).join('; ') + (n > 3 ? `; and ${n - 3} more` : '');
  return {
    id: 'project-skipped',
    text: `${file}: ${n === 1 ? 'one upscaled result' : `${n} upscaled results`} could not be read and ${n === 1 ? 'was' : 'were'} left out (the layers, the gallery and the other results are as saved; saving writes the project without ${n === 1 ? 'it' : 'them'}): ${shown}.`,
    tone: 'warn',
  };
}

export function withoutNotice(list: readonly Notice[], id: string): Notice[] {
  return list.filter((n) => n.id !== id);
}
