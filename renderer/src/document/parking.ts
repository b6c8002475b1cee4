// Documents put aside by a model switch, keyed by the model their layers are for, each kept with
// its undo/redo history and saved marker (ParkedStore) and what the caller needs beside it (the
// project's name and file). History holds pixel snapshots, so the parked histories share one byte
// budget of their own, apart from the open document's (DEFAULT_HISTORY_BUDGET_BYTES): past it, the
// document parked longest ago gives up its oldest steps first (History.trimTo).
import type { ParkedStore } from './store';

/** All parked histories together: half the open document's budget (a switch back is the rarer case). */
export const PARKED_HISTORY_BUDGET_BYTES = 128 * 1024 * 1024;

export interface Parked<T> {
  readonly store: ParkedStore;
  readonly meta: T;
}

export class ParkedDocuments<T> {
  /** In the order parked (a Map keeps insertion order): the first is the one parked longest ago. */
  readonly #lot = new Map<string, Parked<T>>();

  constructor(readonly budgetBytes: number = PARKED_HISTORY_BUDGET_BYTES) {}

  /** Keeps `store` under `key` (replacing one parked there before), then fits the budget. */
  park(key: string, store: ParkedStore, meta: T): void {
    this.#lot.delete(key);
    this.#lot.set(key, { store, meta });
    this.#fit();
  }

  /** The document parked under `key`, removed from the lot (it is open again), or undefined. */
  take(key: string): Parked<T> | undefined {
    const parked = this.#lot.get(key);
    this.#lot.delete(key);
    return parked;
  }

  has(key: string): boolean {
    return this.#lot.has(key);
  }

  /** History bytes held by all parked documents. */
  get bytes(): number {
    let total = 0;
    for (const p of this.#lot.values()) total += p.store.history.bytes;
    return total;
  }

  #fit(): void {
    for (const p of this.#lot.values()) {
      const over = this.bytes - this.budgetBytes;
      if (over <= 0) return;
      p.store.history.trimTo(Math.max(0, p.store.history.bytes - over));
    }
  }
}
