// Building gallery entries from what a finished job hands back. The request arrives as
// `unknown` (its schema lives in preload/contract/generation.ts); here it only has to be JSON,
// so it can be saved and replayed verbatim.
import { CommandError } from './commands';
import type { DocumentState, GalleryEntry, GalleryOutput, InputPixels, JsonValue, LayerContent } from './types';

export interface GalleryEntryInput {
  readonly id: string;
  readonly createdAt: string;
  readonly request: unknown;
  readonly outputs: Readonly<Record<string, GalleryOutput>>;
  /** The pixels of the request's image-pixels inputs, by ref (see GalleryEntry.inputs). */
  readonly inputs?: Readonly<Record<string, InputPixels>>;
}

export function makeGalleryEntry(input: GalleryEntryInput): GalleryEntry {
  const bad = firstNonJson(input.request, 'request', new Set());
  if (bad !== null) throw new CommandError(`${bad}: expected a JSON value (no undefined, NaN, functions, cycles or class instances)`);
  // A copy, so later changes to the job's object can't alter the saved request.
  const request = JSON.parse(JSON.stringify(input.request)) as JsonValue;
  const entry: GalleryEntry = { id: input.id, createdAt: input.createdAt, request, outputs: input.outputs, accepted: false };
  return input.inputs ? { ...entry, inputs: input.inputs } : entry;
}

/** The path of the first value JSON can't hold exactly, or null when all of it is JSON. */
function firstNonJson(value: unknown, path: string, open: Set<object>): string | null {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : path;
  if (typeof value !== 'object') return path;
  if (open.has(value)) return path;
  const proto: unknown = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return path;
  open.add(value);
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [`[${i}]`, v]) : Object.entries(value).map(([k, v]) => [`.${k}`, v]);
  for (const [key, v] of entries) {
    const bad = firstNonJson(v, path + key, open);
    if (bad !== null) return bad;
  }
  open.delete(value);
  return null;
}

const NOTHING_CAME_BACK = 'nothing usable came back';

/**
 * What a result holds, for its gallery line: the layers' names, or, when every output was dropped
 * (the model wrote no boxes, no words: each said on its layer), that nothing came back — else the
 * entry is a black square with no words beside it.
 */
export function resultLayersText(outputs: Readonly<Record<string, GalleryOutput>>, label: (id: string) => string): string {
  const ids = Object.keys(outputs);
  return ids.length ? ids.map(label).join(', ') : NOTHING_CAME_BACK;
}

/**
 * Why the gallery cannot offer "Use" on a result, or null when it can: a result with no outputs
 * would only mark itself accepted, an undo step that changes nothing the artist can see.
 */
export function useProblem(outputs: Readonly<Record<string, GalleryOutput>>): string | null {
  return Object.keys(outputs).length ? null : `${NOTHING_CAME_BACK}, so there is nothing to put on the canvas`;
}

/** Whether the entry's outputs are what their layers hold now (the gallery's "on canvas"). */
export function isOnCanvas(doc: DocumentState, entry: GalleryEntry): boolean {
  const ids = Object.keys(entry.outputs);
  return ids.length > 0 && ids.every((id) => {
    const layer = doc.layers.get(id);
    const out = entry.outputs[id];
    if (!layer || !out) return false;
    if (out.tokens && layer.tokens) return layer.tokens.agree && sameValues(layer.tokens.ids, out.tokens);
    return sameContent(layer.content, out.content);
  });
}

function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameContent(a: LayerContent, b: LayerContent): boolean {
  if ((a.kind === 'image' || a.kind === 'segmentation') && (b.kind === 'image' || b.kind === 'segmentation')) return sameValues(a.plane.data, b.plane.data);
  return JSON.stringify(a) === JSON.stringify(b);
}
