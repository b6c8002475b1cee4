// The one place the document changes: apply(update, {history}), undo, redo, strokes,
// and change notifications. Updates are delta lists built by commands.ts.
import { coalesceDeltas } from './coalesce';
import { applyDelta, invertDelta, type Delta } from './deltas';
import { History, makeEntry, DEFAULT_HISTORY_BUDGET_BYTES, type HistoryEntry } from './history';
import { unionRect, type Rect } from './rect';
import type { DocumentState } from './types';

const CONTENT_TYPES: ReadonlySet<Delta['type']> = new Set(['pixels', 'boxes', 'text', 'palette']);

export interface Update {
  readonly label: string;
  readonly deltas: readonly Delta[];
}

/** 'record' enters history (or the open stroke); 'skip' is for previews and loads. */
export interface ApplyOptions {
  readonly history: 'record' | 'skip';
}

export interface DocumentChange {
  readonly source: 'apply' | 'undo' | 'redo' | 'replace';
  readonly recorded: boolean;
  /** Layers whose content, props, mask or tokens changed. */
  readonly layers: ReadonlySet<string>;
  /** Layers whose content (pixels, boxes, text, palette) changed; every layer on replace. */
  readonly content: ReadonlySet<string>;
  /** Per layer, the union of changed pixel rects (for partial canvas redraws). */
  readonly dirty: ReadonlyMap<string, Rect>;
  readonly gallery: boolean;
}

export type ChangeListener = (change: DocumentChange) => void;

export interface StoreOptions {
  readonly historyBudgetBytes?: number;
}

/** Where the history stood at the last save or open (see DocumentStore.saved). */
interface SavedMark {
  readonly entry: HistoryEntry | undefined;
  readonly dropped: number;
}

/**
 * A document put aside by a model switch with its undo/redo history and saved marker, so that
 * undo, redo and the title's unsaved mark work as before when it comes back (DocumentStore.resume).
 */
export interface ParkedStore {
  readonly doc: DocumentState;
  readonly history: History;
  readonly saved: SavedMark | null;
}

export class DocumentStore {
  private history: History;
  /** Set once the document was handed over by park(): this store changes nothing after that. */
  private away = false;
  private readonly listeners = new Set<ChangeListener>();
  private stroke: { label: string; deltas: Delta[] } | null = null;
  /**
   * Where the history stood at the last save or open (the newest undo entry, none for an empty
   * history, and how many entries had been dropped for the budget then); null when that state
   * cannot be reached by undo or redo (recovered or carried-over unsaved work).
   */
  private saved: SavedMark | null = { entry: undefined, dropped: 0 };

  constructor(
    private doc: DocumentState,
    options: StoreOptions = {},
  ) {
    this.history = new History(options.historyBudgetBytes ?? DEFAULT_HISTORY_BUDGET_BYTES);
  }

  /** A parked document back in a store of its own, its history and saved marker as they were. */
  static resume(parked: ParkedStore): DocumentStore {
    const store = new DocumentStore(parked.doc, { historyBudgetBytes: parked.history.budgetBytes });
    store.history = parked.history;
    store.saved = parked.saved;
    return store;
  }

  /**
   * Hands the document over with its history (an open stroke closed first). This store is done
   * with it: a late edit (a job's answer arriving after the switch) is refused, not applied to a
   * document another store may own by then.
   */
  park(): ParkedStore {
    this.endStroke();
    const parked: ParkedStore = { doc: this.doc, history: this.history, saved: this.saved };
    this.away = true;
    this.history = new History(this.history.budgetBytes);
    this.saved = null;
    return parked;
  }

  get state(): DocumentState {
    return this.doc;
  }
  get canUndo(): boolean {
    return this.history.undoDepth > 0;
  }
  get canRedo(): boolean {
    return this.history.redoDepth > 0;
  }
  get undoLabel(): string | undefined {
    return this.history.peekUndo()?.label;
  }
  get redoLabel(): string | undefined {
    return this.history.peekRedo()?.label;
  }
  get historyBytes(): number {
    return this.history.bytes;
  }
  get undoDepth(): number {
    return this.history.undoDepth;
  }
  get inStroke(): boolean {
    return this.stroke !== null;
  }

  /** The document now is the one saved (or opened): undo and redo back to here read as saved. */
  markSaved(): void {
    this.saved = { entry: this.history.peekUndo(), dropped: this.history.dropped };
  }

  /** The document differs from any file however far it is undone (recovered work). */
  markUnsaved(): void {
    this.saved = null;
  }

  /** True when undo or redo brought the document back to its last saved (or opened) state. */
  get atSavedState(): boolean {
    const saved = this.saved;
    if (!saved || this.stroke) return false;
    const top = this.history.peekUndo();
    // An empty history matches only if nothing was dropped since: the edits dropped are still in the document.
    return top === saved.entry && (top !== undefined || this.history.dropped === saved.dropped);
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies all deltas or none: a failing delta rolls back the ones before it, then rethrows. */
  apply(update: Update, options: ApplyOptions): void {
    if (update.deltas.length === 0) return;
    if (this.away) throw new Error(`${update.label}: the document was put aside for another model; switch back to it first`);
    this.applyAll(update.deltas);
    const recorded = options.history === 'record';
    if (recorded) {
      if (this.stroke) this.stroke.deltas.push(...update.deltas);
      else this.history.push(makeEntry(update.label, update.deltas));
    }
    this.emit('apply', recorded, update.deltas);
  }

  /**
   * A preview (live generation output, a tool's rubber band): applied with history 'skip',
   * undone by the returned revert. Revert before recording the real change, so the recorded
   * delta's "before" is the artist's content and not the preview.
   */
  applyPreview(update: Update): () => void {
    this.apply(update, { history: 'skip' });
    let reverted = false;
    return () => {
      if (reverted) return;
      reverted = true;
      this.apply({ label: update.label, deltas: update.deltas.map(invertDelta).reverse() }, { history: 'skip' });
    };
  }

  /** Recorded updates until endStroke become one history entry. */
  beginStroke(label: string): void {
    if (this.stroke) this.endStroke();
    this.stroke = { label, deltas: [] };
  }

  endStroke(): void {
    const stroke = this.stroke;
    this.stroke = null;
    if (!stroke || stroke.deltas.length === 0) return;
    this.history.push(makeEntry(stroke.label, coalesceDeltas(this.doc, stroke.deltas)));
  }

  /**
   * Drops the stroke being recorded: its changes are taken back and nothing enters history (a stroke
   * that left nothing to keep, such as an object brush dab too small for the model to read).
   */
  cancelStroke(): void {
    const stroke = this.stroke;
    this.stroke = null;
    if (!stroke || stroke.deltas.length === 0) return;
    const inverse = stroke.deltas.map(invertDelta).reverse();
    this.applyAll(inverse);
    this.emit('apply', true, inverse);
  }

  undo(): boolean {
    this.endStroke();
    const entry = this.history.takeUndo();
    if (!entry) return false;
    const inverse = entry.deltas.map(invertDelta).reverse();
    this.applyAll(inverse);
    this.emit('undo', true, inverse);
    return true;
  }

  redo(): boolean {
    this.endStroke();
    const entry = this.history.takeRedo();
    if (!entry) return false;
    this.applyAll(entry.deltas);
    this.emit('redo', true, entry.deltas);
    return true;
  }

  /** Swaps in another document (open, restore, new): history starts empty. */
  replace(doc: DocumentState): void {
    if (this.away) throw new Error('The document was put aside for another model; switch back to it first');
    this.stroke = null;
    this.history.clear();
    this.saved = { entry: undefined, dropped: this.history.dropped };
    this.doc = doc;
    this.emit('replace', false, [], new Set(doc.layers.keys()), true);
  }

  private applyAll(deltas: readonly Delta[]): void {
    let done = 0;
    try {
      for (const d of deltas) {
        applyDelta(this.doc, d);
        done++;
      }
    } catch (error) {
      for (let i = done - 1; i >= 0; i--) {
        const d = deltas[i];
        if (d) applyDelta(this.doc, invertDelta(d));
      }
      throw error;
    }
  }

  private emit(
    source: DocumentChange['source'],
    recorded: boolean,
    deltas: readonly Delta[],
    layers = new Set<string>(),
    gallery = false,
  ): void {
    const dirty = new Map<string, Rect>();
    const content = new Set(source === 'replace' ? layers : []);
    for (const d of deltas) {
      if ('layer' in d) layers.add(d.layer);
      else gallery = true;
      if (d.type === 'pixels') dirty.set(d.layer, unionRect(dirty.get(d.layer) ?? d.rect, d.rect));
      if (CONTENT_TYPES.has(d.type) && 'layer' in d) content.add(d.layer);
    }
    const change: DocumentChange = { source, recorded, layers, content, dirty, gallery };
    for (const listener of [...this.listeners]) listener(change);
  }
}
