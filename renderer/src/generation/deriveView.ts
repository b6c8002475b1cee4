// Derive ("predict every layer from RGB") runs on a view of the document with RGB as the only
// condition and every other layer a whole-layer target; the real roles and masks stay as they are.
import type { DocumentState, Layer } from '../document';

export function deriveView(doc: DocumentState, rgbId: string): DocumentState {
  const layers = new Map<string, Layer>();
  for (const [id, l] of doc.layers) layers.set(id, { ...l, role: id === rgbId ? 'condition' : 'generate', mask: null });
  return { ...doc, layers };
}

/** Gallery ids and timestamps live here so the rune class holds no clock. */
export function resultStamp(index: number): { id: string; createdAt: string } {
  return { id: `result-${Date.now().toString(36)}-${index}`, createdAt: new Date().toISOString() };
}
