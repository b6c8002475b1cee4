// "Continue at 448" (issue #14): an upscaled result becomes the working canvas of the SR model's
// document, laid out at the size the SR model works at (448 × 448 on 28 × 28 tokens, from its
// layout). What goes over: each upscaled picture onto the layer of the same domain (RGB onto RGB,
// a segmentation onto Segmentation, as class ids by nearest class colour), and the caption, boxes
// and palette the 224 document holds onto the same layers where the SR model has them (conditions
// where they were; the pictures become conditions). Pure: the PNGs are decoded by the caller.
import type { DocumentManifest, DocumentState, LayerContent, UpscaledEntry } from '../document';
import { sizeText } from '../state/wording';

/** What is carried from the 224 document, taken when the button is pressed (before the switch). */
export interface UpscaledCarry {
  readonly srModelId: string;
  readonly sourceSeed: number;
  /** The upscaled pictures (PNG bytes) by the 224 layer they upscale. */
  readonly pictures: UpscaledEntry['pictures'];
  /** Non-empty caption, boxes and palette layers of the 224 document, by layer id. */
  readonly sequences: ReadonlyMap<string, LayerContent>;
  /** Those of them that were conditions there (they stay conditions at 448). */
  readonly conditions: ReadonlySet<string>;
}

/** A layer's domain: "tok_semseg@224" → "semseg", "rgb@448" → "rgb", "caption" → "caption". */
export function layerDomain(id: string): string {
  return id.replace(/^tok_/, '').replace(/@\d+$/, '');
}

export function carryOf(doc: DocumentState, entry: UpscaledEntry): UpscaledCarry {
  const sequences = new Map<string, LayerContent>();
  const conditions = new Set<string>();
  for (const layer of doc.layers.values()) {
    const c = layer.content;
    const filled = (c.kind === 'text' && c.text.trim() !== '') || (c.kind === 'boxes' && c.boxes.length > 0) || (c.kind === 'palette' && c.swatches.length > 0);
    if (!filled) continue;
    sequences.set(layer.id, c);
    if (layer.role === 'condition') conditions.add(layer.id);
  }
  return { srModelId: entry.srModel, sourceSeed: entry.sourceSeed, pictures: entry.pictures, sequences, conditions };
}

/** A decoded picture: RGBA8, row-major. */
export interface Rgba {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Uint8ClampedArray;
}

export interface CarryPlan {
  /** New content by layer id of the target document. */
  readonly contents: Map<string, LayerContent>;
  /** Layers to make conditions: the pictures, and the carried layers that were conditions in the 224 document. */
  readonly conditions: string[];
  /** The target's picture layer that got the first picture (to select it). */
  readonly first: string | undefined;
  /** What could not go over, in words (a layer the SR model does not have, a picture of another size). */
  readonly left: string[];
}

/**
 * The carried pictures (decoded, in `pictures`' order) and sequences onto `target`'s layers.
 * `label` names a layer for the messages.
 */
export function carryInto(target: DocumentManifest, carry: UpscaledCarry, decoded: readonly Rgba[], label: (id: string) => string = (id) => id): CarryPlan {
  const contents = new Map<string, LayerContent>();
  const left: string[] = [];
  const conditions: string[] = [];
  let first: string | undefined;
  carry.pictures.forEach((p, i) => {
    const img = decoded[i];
    const domain = layerDomain(p.layer);
    const m = target.modalities.find((x) => (x.kind === 'image' || x.kind === 'segmentation') && layerDomain(x.id) === domain);
    if (!img) return left.push(`${label(p.layer)} (its picture could not be read)`);
    if (!m) return left.push(`${label(p.layer)} (the model has no such layer)`);
    if (img.width !== target.width || img.height !== target.height) return left.push(`${label(p.layer)} (${sizeText(img.width, img.height)}, the canvas is ${sizeText(target.width, target.height)})`);
    const n = img.width * img.height;
    let content: LayerContent;
    if (m.kind === 'segmentation') {
      const palette = m.classes ?? [];
      const data = new Uint8Array(n);
      for (let k = 0; k < n; k++) data[k] = nearestClass(palette, img.data[k * 4] ?? 0, img.data[k * 4 + 1] ?? 0, img.data[k * 4 + 2] ?? 0);
      content = { kind: 'segmentation', plane: { width: img.width, height: img.height, channels: 1, data } };
    } else {
      const channels = m.channels === 1 ? 1 : 3;
      const data = new Uint8Array(n * channels);
      for (let k = 0; k < n; k++) {
        const r = img.data[k * 4] ?? 0;
        const g = img.data[k * 4 + 1] ?? 0;
        const b = img.data[k * 4 + 2] ?? 0;
        if (channels === 1) data[k] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
        else data.set([r, g, b], k * 3);
      }
      content = { kind: 'image', plane: { width: img.width, height: img.height, channels, data } };
    }
    contents.set(m.id, content);
    // The picture is what is worked on: a condition until a task or the artist says otherwise.
    conditions.push(m.id);
    first ??= m.id;
  });
  for (const [id, content] of carry.sequences) {
    const m = target.modalities.find((x) => x.id === id);
    if (!m || m.kind !== content.kind) {
      left.push(`${label(id)} (the model has no such layer)`);
      continue;
    }
    // Boxes keep only labels the target knows (an official model's COCO classes, the same on both).
    if (content.kind === 'boxes' && m.kind === 'boxes' && m.labels) {
      const known = new Set(m.labels);
      contents.set(id, { kind: 'boxes', boxes: content.boxes.filter((b) => known.has(b.label)) });
    } else contents.set(id, content);
    if (carry.conditions.has(id)) conditions.push(id);
  }
  return { contents, conditions, first, left };
}

/** The class whose colour is nearest (squared RGB distance): decoded maps are drawn in these colours exactly. */
function nearestClass(classes: readonly { readonly color: readonly [number, number, number] }[], r: number, g: number, b: number): number {
  let best = 0;
  let bestD = Infinity;
  classes.forEach((c, i) => {
    const d = (c.color[0] - r) ** 2 + (c.color[1] - g) ** 2 + (c.color[2] - b) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  });
  return best;
}
