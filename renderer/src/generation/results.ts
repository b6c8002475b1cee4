// Host results and previews → document content. Pure; the wire types come from the contract.
import type { GeneratedModality, GenerationPreview, GenerationVariation } from '../../../preload/contract/generation-jobs';
import { CommandError, type DocumentState, type GalleryOutput, type Layer, type LayerContent, type Plane } from '../document';
import { featherMask, tokensToPixelMask } from '../tools';
import { base64ToBytes } from './base64';
import { blendWithAlpha, compositeInsideMask, rasterToPlane } from './planes';
import type { ReferenceOrigin } from './reference';

function planeFor(layer: Layer, raster: { width: number; height: number; rgba: string }, classMap: string | undefined): Plane {
  const c = layer.content;
  if (c.kind !== 'image' && c.kind !== 'segmentation') throw new CommandError(`${layer.id}: an image result for a ${c.kind} layer`);
  if (raster.width !== c.plane.width || raster.height !== c.plane.height) {
    throw new CommandError(`${layer.id}: result is ${raster.width}×${raster.height}, the layer is ${c.plane.width}×${c.plane.height}`);
  }
  const rgba = { width: raster.width, height: raster.height, rgba: base64ToBytes(raster.rgba) };
  if (c.kind === 'segmentation') {
    if (!classMap) throw new CommandError(`${layer.id}: the segmentation result has no class map`);
    return rasterToPlane(rgba, 1, base64ToBytes(classMap));
  }
  return rasterToPlane(rgba, c.plane.channels, null);
}

/**
 * A layer's content from one generated modality; masked layers keep their pixels outside the region.
 * `origin`: the picture a predicted reference came from (predictedReferenceOrigin), shown as its thumbnail.
 */
export function contentFromOutput(doc: DocumentState, layer: Layer, out: GeneratedModality, origin: ReferenceOrigin | null = null): LayerContent {
  const c = layer.content;
  if (out.kind === 'image') {
    let plane = planeFor(layer, out.raster, out.classMap);
    if (layer.mask && layer.sync !== 'empty' && (c.kind === 'image' || c.kind === 'segmentation')) {
      const m = doc.manifest;
      const pixels = tokensToPixelMask(layer.mask, { width: m.width, height: m.height, cols: m.tokenCols, rows: m.tokenRows });
      // Pictures fade across the token seam (half a token each way); class maps cannot be blended.
      const feather = Math.max(1, Math.round(m.width / m.tokenCols / 4));
      plane = c.kind === 'image' ? blendWithAlpha(c.plane, plane, featherMask(pixels, m.width, m.height, feather)) : compositeInsideMask(c.plane, plane, pixels);
    }
    return c.kind === 'segmentation' ? { kind: 'segmentation', plane } : { kind: 'image', plane };
  }
  if (out.kind === 'tokens') {
    // A predicted picture reference: its tokens; nothing decodes them, so the picture it came from, if one.
    if (c.kind !== 'reference') throw new CommandError(`${layer.id}: a token result for a ${c.kind} layer`);
    return { kind: 'reference', ids: Int32Array.from(out.tokens), source: origin?.source ?? '', thumbnail: origin?.thumbnail?.slice() ?? null };
  }
  if (c.kind === 'reference') throw new CommandError(`${layer.id}: a ${out.kind} result for a picture reference`);
  switch (c.kind) {
    case 'text':
      return { kind: 'text', text: out.text };
    case 'boxes':
      return { kind: 'boxes', boxes: (out.boxes ?? []).map((b, i) => ({ id: `gen-${i}`, x0: b.x0, y0: b.y0, x1: b.x1, y1: b.y1, label: b.label })) };
    case 'palette':
      return { kind: 'palette', swatches: out.palette ?? [] };
    default:
      throw new CommandError(`${layer.id}: a sequence result for a ${c.kind} layer`);
  }
}

/** Gallery outputs for the document's layers; modalities the document lacks are dropped. `origin`: as contentFromOutput's. */
export function galleryOutputs(doc: DocumentState, variation: GenerationVariation, targets: readonly string[], origin: ReferenceOrigin | null = null): Record<string, GalleryOutput> {
  const outputs: Record<string, GalleryOutput> = {};
  for (const id of targets) {
    const layer = doc.layers.get(id);
    const out = variation.outputs[id];
    if (!layer || !out) continue;
    outputs[id] = { content: contentFromOutput(doc, layer, out, origin), tokens: Int32Array.from(out.tokens) };
  }
  return outputs;
}

/** Preview content for the layer being generated, or null when the preview has nothing to show. */
export function previewContent(doc: DocumentState, preview: GenerationPreview): { layer: Layer; content: LayerContent } | null {
  const layer = doc.layers.get(preview.modality);
  if (!layer) return null;
  if (preview.raster && (layer.kind === 'image' || (layer.kind === 'segmentation' && preview.classMap))) {
    return { layer, content: contentFromOutput(doc, layer, { kind: 'image', tokens: [], raster: preview.raster, ...(preview.classMap ? { classMap: preview.classMap } : {}) }) };
  }
  if (preview.text !== undefined && layer.kind === 'text') return { layer, content: { kind: 'text', text: preview.text } };
  return null;
}

/**
 * Outputs the model could not really produce (boxes without coordinates, no colours, no words)
 * are dropped, so accepting never marks an empty layer "in sync"; each is said in words.
 */
export function withoutMissing(
  outputs: Readonly<Record<string, GalleryOutput>>,
  variation: GenerationVariation,
  label: (id: string) => string,
): { outputs: Record<string, GalleryOutput>; problems: Record<string, string> } {
  const kept: Record<string, GalleryOutput> = {};
  const problems: Record<string, string> = {};
  for (const [id, out] of Object.entries(outputs)) {
    const raw = variation.outputs[id];
    const wrote = raw?.kind === 'sequence' && raw.text.trim() ? ` (the model wrote “${raw.text.trim().slice(0, 80)}”)` : '';
    const c = out.content;
    if (c.kind === 'boxes' && c.boxes.length === 0) problems[id] = `${label(id)}: the model produced no boxes with coordinates${wrote}; the layer was left as it was.`;
    else if (c.kind === 'palette' && c.swatches.length === 0) problems[id] = `${label(id)}: the model produced no colours${wrote}; the layer was left as it was.`;
    else if (c.kind === 'text' && c.text.trim() === '') problems[id] = `${label(id)}: the model produced no words; the layer was left as it was.`;
    else kept[id] = out;
  }
  return { outputs: kept, problems };
}
