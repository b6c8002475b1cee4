// Artist-facing names for modality ids such as "tok_depth@128": the model's own names
// (manifest displayName → ModalityManifest.label), else a name for the domain (older manifests).
import type { DocumentManifest, LayerKind } from '../document';

/** The open model's layer names. One model is open at a time, and every panel, message and
 * label asks by modality id, so the names live here rather than travel through each caller. */
const MODEL_NAMES = new Map<string, string>();

/** Names the layers of `manifest` by its labels (called when the editor opens its model). */
export function useLayerNames(manifest: DocumentManifest): void {
  MODEL_NAMES.clear();
  for (const m of manifest.modalities) if (m.label) MODEL_NAMES.set(m.id, m.label);
}

// Fallback for manifests without display names.
const DOMAIN_LABELS: Record<string, string> = {
  rgb: 'RGB',
  depth: 'Depth',
  normal: 'Surface normals',
  edge: 'Edges',
  semseg: 'Segmentation',
  det: 'Bounding boxes',
  caption: 'Caption',
  color_palette: 'Color palette',
  metadata: 'Image controls',
  dinov2_global: 'DINOv2 reference',
  imagebind_global: 'ImageBind reference',
};

/** "tok_depth@128" → "depth"; "caption" → "caption". */
export function domainOf(modalityId: string): string {
  return modalityId.replace(/^tok_/, '').replace(/@.*$/, '');
}

export function layerLabel(modalityId: string): string {
  const named = MODEL_NAMES.get(modalityId);
  if (named) return named;
  const domain = domainOf(modalityId);
  return DOMAIN_LABELS[domain] ?? domain.replace(/_/g, ' ');
}

export const KIND_ICONS: Record<LayerKind, string> = {
  image: '▦',
  segmentation: '◧',
  boxes: '⬚',
  text: '¶',
  palette: '◍',
  reference: '❖',
};

/** A layer's icon: its kind's, except that Image controls (metadata, a text layer) is not a caption. */
export function layerIcon(modalityId: string, kind: LayerKind): string {
  return domainOf(modalityId) === 'metadata' ? '☷' : KIND_ICONS[kind];
}

/**
 * A message for the artist: the document core and the host name layers by modality id
 * ('layer "tok_rgb@128" is locked'); here each id becomes its layer's name ("RGB is locked").
 */
export function humanize(message: string, ids: readonly string[]): string {
  let out = message;
  for (const id of [...ids].sort((a, b) => b.length - a.length)) {
    const esc = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`(?:layer )?"${esc}"|(?<![\\w@])${esc}(?![\\w@])`, 'g'), layerLabel(id));
  }
  return out;
}
