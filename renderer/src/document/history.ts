// Undo/redo stacks of delta lists under a memory budget. Knows nothing of the document:
// the store applies entries; this only keeps them and evicts the oldest past the budget.
import { deltaBytes, type Delta } from './deltas';

export interface HistoryEntry {
  readonly label: string;
  readonly deltas: readonly Delta[];
  readonly bytes: number;
}

export const DEFAULT_HISTORY_BUDGET_BYTES = 256 * 1024 * 1024;

export function makeEntry(label: string, deltas: readonly Delta[]): HistoryEntry {
  let bytes = 0;
  for (const d of deltas) bytes += deltaBytes(d);
  return { label, deltas, bytes };
}

export class History {
  private readonly undoStack: HistoryEntry[] = [];
  private readonly redoStack: HistoryEntry[] = [];
  private total = 0;
  /** Entries dropped for the budget so far: a saved state before them cannot be undone back to. */
  private evicted = 0;

  constructor(readonly budgetBytes: number = DEFAULT_HISTORY_BUDGET_BYTES) {}

  get dropped(): number {
    return this.evicted;
  }
  get bytes(): number {
    return this.total;
  }
  get undoDepth(): number {
    return this.undoStack.length;
  }
  get redoDepth(): number {
    return this.redoStack.length;
  }
  peekUndo(): HistoryEntry | undefined {
    return this.undoStack.at(-1);
  }
  peekRedo(): HistoryEntry | undefined {
    return this.redoStack.at(-1);
  }

  /** A new edit: the redo branch is gone, then the oldest entries go until within budget. */
  push(entry: HistoryEntry): void {
    for (const e of this.redoStack) this.total -= e.bytes;
    this.redoStack.length = 0;
    this.undoStack.push(entry);
    this.total += entry.bytes;
    // The newest entry is kept even when alone it exceeds the budget (trimTo keeps it): losing
    // the edit the artist just made would be worse than briefly going over.
    this.trimTo(this.budgetBytes);
  }

  /** Moves the newest undo entry to the redo stack and returns it (the caller applies its inverse). */
  takeUndo(): HistoryEntry | undefined {
    const e = this.undoStack.pop();
    if (e) this.redoStack.push(e);
    return e;
  }

  takeRedo(): HistoryEntry | undefined {
    const e = this.redoStack.pop();
    if (e) this.undoStack.push(e);
    return e;
  }

  /**
   * Drops entries until within `bytes` (the budget after a push; a parked document's share of the
   * parked budget): the
   * oldest undo entries first, then the redo entries furthest from now. The newest undo entry
   * stays, as in push: it is the step back from what the document holds, and the saved marker
   * may point at it.
   */
  trimTo(bytes: number): void {
    while (this.total > bytes && this.undoStack.length > 1) {
      const dropped = this.undoStack.shift();
      if (dropped) {
        this.total -= dropped.bytes;
        this.evicted++;
      }
    }
    // Redo entries are not in the document, so dropping them does not count as evicted.
    while (this.total > bytes && this.redoStack.length > 0) {
      const dropped = this.redoStack.shift();
      if (dropped) this.total -= dropped.bytes;
    }
  }

  clear(): void {
    this.undoStack.length = 0;
    this.redoStack.length = 0;
    this.total = 0;
  }
}
