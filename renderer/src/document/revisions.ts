// Per layer, how many times its content (pixels, boxes, text, palette) has changed. A job notes
// the counts of the layers it reads; when its result is accepted, a count that moved means the
// result was made from what those layers held before, so it goes in marked stale, not in sync.
import type { DocumentStore } from './store';

export type RevisionSnapshot = Readonly<Record<string, number>>;

export class ContentRevisions {
  readonly #count = new Map<string, number>();

  constructor(store: DocumentStore) {
    // Lives as long as the store (one per editor), so it never unsubscribes.
    store.subscribe((change) => {
      for (const id of change.content) this.#count.set(id, (this.#count.get(id) ?? 0) + 1);
    });
  }

  snapshot(layers: readonly string[]): RevisionSnapshot {
    return Object.fromEntries(layers.map((id) => [id, this.#count.get(id) ?? 0]));
  }

  /** The layers of `snapshot` whose content changed since (an undo back counts too: the cheap, safe side). */
  changedSince(snapshot: RevisionSnapshot): string[] {
    return Object.entries(snapshot).filter(([id, n]) => (this.#count.get(id) ?? 0) !== n).map(([id]) => id);
  }
}
