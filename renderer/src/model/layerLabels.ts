// Artist-facing names for modality ids such as "tok_depth@128".
import type { LayerKind } from '../document';

const DOMAIN_LABELS: Record<string, string> = {
  rgb: 'RGB',
  depth: 'Depth',
  normal: 'Surface normals',
  edge: 'Edges',
  semseg: 'Segmentation',
  det: 'Bounding boxes',
  caption: 'Caption',
  color_palette: 'Color palette',
};

/** "tok_depth@128" → "depth"; "caption" → "caption". */
export function domainOf(modalityId: string): string {
  return modalityId.replace(/^tok_/, '').replace(/@.*$/, '');
}

export function layerLabel(modalityId: string): string {
  const domain = domainOf(modalityId);
  return DOMAIN_LABELS[domain] ?? domain.replace(/_/g, ' ');
}

export const KIND_ICONS: Record<LayerKind, string> = {
  image: '▦',
  segmentation: '◧',
  boxes: '⬚',
  text: '¶',
  palette: '◍',
};

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
