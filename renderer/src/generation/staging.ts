// The staging strip's model: finished results wait here, shown on the canvas but not in the
// document, until the artist accepts one (one undoable step) or discards them. Results of jobs
// queued while something is staged join the same strip, as in InvokeAI's staging area.
// Pure (no runes, no clock), so the rules are unit-tested.
import type { GalleryOutput, InputPixels, LayerContent, RevisionSnapshot } from '../document';

export interface StagedItem {
  /** The job that made it ("Generate", "Derive all from RGB"). */
  readonly label: string;
  /** The request that made it, with this variation's own seed and `variations: 1`. */
  readonly request: unknown;
  readonly seed: number;
  readonly outputs: Readonly<Record<string, GalleryOutput>>;
  /** The layers it was conditioned on (the accepted layers' derivedFrom). */
  readonly conditions: readonly string[];
  /** Per layer, what the model could not produce (that layer is not in `outputs`). */
  readonly problems: Readonly<Record<string, string>>;
  /** The pixels the job sent for its image-pixels inputs, by ref (kept with the gallery entry, for Upscale ×2). */
  readonly inputs?: Readonly<Record<string, InputPixels>>;
  /** The conditions' content revisions when the job read them (ContentRevisions.snapshot). */
  readonly read?: RevisionSnapshot;
  /** The content revisions of the layers it would replace when it was staged: what the canvas hides under it. */
  readonly under?: RevisionSnapshot;
}

/** What changed in the document since a staged result was made, by layer id. */
export interface StagedChanges {
  /** Conditions painted, typed or undone since the job read them: the result shows an older state (accepting marks it stale). */
  readonly older: readonly string[];
  /** Layers it would replace whose content changed while it waits (an undo or redo): hidden under it on the canvas. */
  readonly under: readonly string[];
}

/** `changedSince` is ContentRevisions.changedSince (passed in: this module stays pure). */
export function stagedChanges(item: StagedItem | undefined, changedSince: (snapshot: RevisionSnapshot) => string[]): StagedChanges {
  return { older: item?.read ? changedSince(item.read) : [], under: item?.under ? changedSince(item.under) : [] };
}

export interface Staging {
  readonly items: readonly StagedItem[];
  readonly index: number;
}

export const EMPTY_STAGING: Staging = { items: [], index: 0 };

/** Appends a job's variations and shows the first of them. */
export function stageItems(s: Staging, items: readonly StagedItem[]): Staging {
  if (items.length === 0) return s;
  return { items: [...s.items, ...items], index: s.items.length };
}

/** Next (+1) or previous (−1) variation, wrapping around. */
export function stepStaging(s: Staging, by: 1 | -1): Staging {
  const n = s.items.length;
  return n === 0 ? s : { ...s, index: (s.index + by + n) % n };
}

/** Variation `index` (a thumbnail clicked); out of range leaves the strip as it is. */
export function showStaged(s: Staging, index: number): Staging {
  return Number.isInteger(index) && index >= 0 && index < s.items.length ? { ...s, index } : s;
}

export function currentItem(s: Staging): StagedItem | undefined {
  return s.items[s.index];
}

/** Layers the current item would replace. */
export function stagedLayers(s: Staging): readonly string[] {
  return Object.keys(currentItem(s)?.outputs ?? {});
}

/** What the canvas shows instead of the document's content, per layer. */
export function stagedContent(s: Staging): Map<string, LayerContent> {
  const out = new Map<string, LayerContent>();
  for (const [id, o] of Object.entries(currentItem(s)?.outputs ?? {})) out.set(id, o.content);
  return out;
}
