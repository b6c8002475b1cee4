// The prompt box is the caption layer. Its text is committed as one undoable step (Enter, Generate,
// leaving the box); until then what Generate can do is read from the document as it will be.
import { applyDelta, CommandError, setLayerProps, setText, type Delta, type DocumentState, type Update } from '../document';
import { canTakeRole } from './roles';

/**
 * The prompt's edit as one step: the caption's text and, when something else is generated, an
 * ignored caption made a condition (a prompt typed is meant to steer). Null when nothing changes.
 */
export function promptEdit(doc: DocumentState, captionId: string, text: string): Update | null {
  const caption = doc.layers.get(captionId);
  if (!caption) return null;
  const deltas: Delta[] = [...setText(doc, captionId, text, 'Edit prompt').deltas];
  const generating = [...doc.layers.values()].some((l) => l.role === 'generate' && l.id !== captionId);
  if (text.trim() && caption.role === 'ignore' && generating && canTakeRole(doc.manifest, captionId, 'condition')) deltas.push(...setLayerProps(doc, captionId, { role: 'condition' }).deltas);
  return deltas.length ? { label: 'Edit prompt', deltas } : null;
}

/**
 * The document once the prompt typed so far is committed, for reading only (readiness): the
 * layers the edit touches are copies, the document itself is not changed. A locked caption (or
 * an edit that cannot be made) reads as the document as it is.
 */
export function withPromptDraft(doc: DocumentState, captionId: string, text: string): DocumentState {
  let edit: Update | null;
  try {
    edit = promptEdit(doc, captionId, text);
  } catch (error) {
    if (error instanceof CommandError) return doc;
    throw error;
  }
  if (!edit) return doc;
  const layers = new Map(doc.layers);
  const preview: DocumentState = { ...doc, layers };
  const copied = new Set<string>();
  for (const d of edit.deltas) {
    // The prompt's edit only changes text, props and tokens, each replaced, never mutated in place, on a copied layer.
    if (d.type !== 'text' && d.type !== 'props' && d.type !== 'tokens') continue;
    const layer = layers.get(d.layer);
    if (!layer) continue;
    if (!copied.has(d.layer)) {
      layers.set(d.layer, { ...layer });
      copied.add(d.layer);
    }
    applyDelta(preview, d);
  }
  return preview;
}
