// "Upscale ×2" (issue #14): a 224 px result of an official 4M model goes, with what made it, to 4M's
// super-resolution model (an installed official folder such as 4M-7-SR_L_CC12M) as an 'upscale' job
// (preload/contract/generation-jobs.ts); the 448 × 448 answer is kept beside the gallery, never on
// the 224 px layers. Pure: which models can upscale, whether an entry can be, and the job.
import type { GenerationVariation, UpscaleJobRequest } from '../../../preload/contract/generation-jobs';
import { validateGenerationRequest } from '../../../preload/contract/generation';
import type { InstalledModel } from '../../../preload/contract/models';
import { isSamInstanceLayer } from '../../../preload/contract/sam-instance';
import type { DocumentManifest, GalleryEntry, GalleryOutput } from '../document';
import { layerLabel } from '../model/layerLabels';
import { sizeText } from '../state/wording';
import { bytesToBase64 } from './base64';
import { planeToRaster } from './planes';

/** The SR model the catalogue and the docs name. */
export const SR_MODEL_NAME = '4M-7-SR_L_CC12M';
export const NEEDS_SR_MODEL = `Install 4M's super-resolution model (${SR_MODEL_NAME}) to upscale`;
/** Said on every enabled button: where the result goes, and where it does not. */
export const UPSCALE_KEEPS_DOCUMENT = 'the 448 × 448 result is added to Upscaled below the gallery; your 224 px layers and document are not changed';

/** A picture as the host sends it: RGBA8, base64. */
export interface WireRaster {
  readonly width: number;
  readonly height: number;
  readonly rgba: string;
}

/** What a result needs that the gallery does not keep: the job's pixels and the host's raw variation. */
export interface UpscaleSource {
  readonly images: Readonly<Record<string, WireRaster>>;
  readonly variation: GenerationVariation;
}

/** Installed models that can upscale: official SR folders, usable (not shadowed, no problem), SR_MODEL_NAME first. */
export function upscaleModels(installed: readonly InstalledModel[]): InstalledModel[] {
  return installed
    .filter((m) => m.kind === 'official' && m.upscales === true && !m.shadowed && m.problem === null)
    .sort((a, b) => Number(b.id === SR_MODEL_NAME) - Number(a.id === SR_MODEL_NAME));
}

/** A result's picture layers with tokens (what the SR model can upscale), in the result's order; SAM objects are a sequence's picture, not a token grid. */
export function upscalableLayers(outputs: Readonly<Record<string, GalleryOutput>>): string[] {
  return Object.entries(outputs)
    .filter(([id, o]) => !isSamInstanceLayer(id) && o.tokens !== null && o.tokens.length > 0 && (o.content.kind === 'image' || o.content.kind === 'segmentation'))
    .map(([id]) => id);
}

export type UpscaleAvailability = { readonly ok: true; readonly srModelId: string; readonly layers: readonly string[]; readonly title: string } | { readonly ok: false; readonly title: string };

export interface UpscaleContext {
  /** The host's open model is an official 4M folder (it sends a layout), and its id. */
  readonly officialModelId: string | null;
  /** Installed SR models (upscaleModels), or null while the list is not known yet. */
  readonly srModels: readonly InstalledModel[] | null;
  /** An upscale job is running. */
  readonly busy: boolean;
}

/**
 * The upscale source of a result from the project (a reopened file, an earlier session): the
 * request's seed, the pixels the project kept for its image-pixels inputs, and its outputs' tokens
 * (the host reads only the tokens of a result; the pictures sent beside them are the gallery's).
 * A string says what is missing. Outputs the gallery left out (an empty box list) are not sent.
 */
export function savedUpscaleSource(entry: GalleryEntry, manifest: DocumentManifest): UpscaleSource | string {
  const parsed = validateGenerationRequest(entry.request);
  if (!parsed.ok) return `This result's request cannot be read (${parsed.errors[0] ?? 'invalid'}), so it cannot be upscaled`;
  const images: Record<string, WireRaster> = {};
  for (const [layer, input] of Object.entries(parsed.request.inputs)) {
    if (input.kind !== 'image-pixels') continue;
    const kept = entry.inputs?.[input.ref];
    if (!kept) return `The pixels of ${layerLabel(layer)} this result was made from were not kept in the project (saved before 4M Studio kept them); recall it and generate it again to upscale it`;
    images[input.ref] = { width: kept.width, height: kept.height, rgba: bytesToBase64(kept.rgba) };
  }
  const outputs: GenerationVariation['outputs'] = {};
  for (const [layer, out] of Object.entries(entry.outputs)) {
    if (!out.tokens) continue;
    const c = out.content;
    if (c.kind === 'image' || c.kind === 'segmentation') {
      const classes = c.kind === 'segmentation' ? (manifest.modalities.find((m) => m.id === layer)?.classes ?? []) : null;
      const r = planeToRaster(c.plane, classes);
      outputs[layer] = { kind: 'image', tokens: Array.from(out.tokens), raster: { width: r.width, height: r.height, rgba: bytesToBase64(r.rgba) } };
    } else if (c.kind === 'reference') {
      outputs[layer] = { kind: 'tokens', tokens: Array.from(out.tokens) };
    } else {
      outputs[layer] = { kind: 'sequence', tokens: Array.from(out.tokens), text: c.kind === 'text' ? c.text : '' };
    }
  }
  return { images, variation: { seed: parsed.request.seed, outputs } };
}

/**
 * Whether this result can be upscaled now, and the button's hover text either way. `source` is
 * what the job needs (a string: what is missing; undefined: nothing is known of it).
 */
export function upscaleAvailability(request: unknown, outputs: Readonly<Record<string, GalleryOutput>>, source: UpscaleSource | string | undefined, ctx: UpscaleContext): UpscaleAvailability {
  const modelId = request && typeof request === 'object' && 'modelId' in request ? String(request.modelId) : '';
  if (!ctx.officialModelId || modelId !== ctx.officialModelId) return { ok: false, title: 'Upscale ×2 works on results of an official 4M model (open one in Models)' };
  if (ctx.srModels === null) return { ok: false, title: 'Looking for an installed super-resolution model…' };
  const sr = ctx.srModels[0];
  if (!sr) return { ok: false, title: NEEDS_SR_MODEL };
  const layers = upscalableLayers(outputs);
  if (layers.length === 0) return { ok: false, title: 'This result has no generated picture layer to upscale (text and painted layers have no tokens)' };
  if (typeof source === 'string') return { ok: false, title: source };
  if (!source) return { ok: false, title: 'Only results generated in this session can be upscaled (the pixels they were made from are not kept); generate it again to upscale it' };
  if (ctx.busy) return { ok: false, title: 'An upscale is running; wait for it or cancel it' };
  return { ok: true, srModelId: sr.id, layers, title: `Upscale ×2 to 448 × 448 with ${sr.displayName}: ${UPSCALE_KEEPS_DOCUMENT}` };
}

/** The 'upscale' job for a result: its request (the variation's own seed, one variation), pixels and variation. */
export function buildUpscaleJob(request: unknown, source: UpscaleSource, srModelId: string, layers: readonly string[]): UpscaleJobRequest {
  const parsed = validateGenerationRequest(request);
  if (!parsed.ok) throw new Error(`This result's request cannot be sent again: ${parsed.errors[0] ?? 'invalid'}`);
  return { kind: 'upscale', srModelId, request: { ...parsed.request, seed: source.variation.seed, variations: 1 }, images: { ...source.images }, result: source.variation, layers: [...layers] };
}

/** The label of an upscaled entry. */
export function upscaledLabel(sourceSeed: number, width = 448, height = 448): string {
  return `${sizeText(width, height)}, upscaled ×2 from seed ${sourceSeed}`;
}

/** A file name for an upscaled picture: "<project>-<layer>-seed<N>-448.png". */
export function upscaledFileName(project: string, layerLabel: string, sourceSeed: number, width = 448): string {
  const slug = (s: string): string => s.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'layer';
  return `${slug(project)}-${slug(layerLabel)}-seed${sourceSeed}-${width}.png`;
}
