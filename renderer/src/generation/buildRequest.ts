// Document + panel settings → a GenerationRequest (preload/contract/generation.ts) and the
// pixels its image-pixels inputs refer to. Condition layers become inputs; generate layers
// become targets in chain order; a target with a region mask keeps every token outside it.
import { GENERATION_REQUEST_VERSION, MAX_TARGET_STEPS, MAX_VARIATIONS, type GenerationInput, type GenerationRequest, type TargetRequest } from '../../../preload/contract/generation';
import type { DocumentState, Layer } from '../document';
import { bytesToBase64 } from './base64';
import { planeToRaster, type RgbaRaster } from './planes';
import { canTakeRole } from './roles';
import { isSamInstanceLayer } from '../../../preload/contract/sam-instance';
import { boxesToDetText, paletteToText } from './sequenceText';
import type { SamplingSettings, TargetSettings } from './settings';

export interface BuiltRequest {
  readonly request: GenerationRequest;
  /** Pixels for each image-pixels `ref`, base64 RGBA. */
  readonly images: Record<string, { width: number; height: number; rgba: string }>;
  /** Condition layers that could not be sent (empty), for the panel to show. */
  readonly skipped: readonly string[];
}

export type HashBytes = (bytes: Uint8Array) => Promise<string>;

export const sha256Hex: HashBytes = async (bytes) => {
  const digest = await crypto.subtle.digest('SHA-256', bytes.slice().buffer);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
};

export class RequestBuildError extends Error {
  override readonly name = 'RequestBuildError';
}

export interface BuildOptions {
  readonly modelId: string;
  readonly coordBins: number;
  readonly seed: number;
  /** Chain order; only layers whose role is 'generate' are used. */
  readonly targets: readonly TargetSettings[];
  readonly sampling: SamplingSettings;
  readonly hash?: HashBytes;
  /** Picture layers as their pixels even when they hold the model's tokens (4M's SR model at 448 derives its 224 condition from them). */
  readonly picturesAsPixels?: boolean;
}

export async function buildGenerationRequest(doc: DocumentState, options: BuildOptions): Promise<BuiltRequest> {
  const hash = options.hash ?? sha256Hex;
  const images: BuiltRequest['images'] = {};
  const inputs: Record<string, GenerationInput> = {};
  const skipped: string[] = [];
  const s = options.sampling;

  const pixelInput = async (layer: Layer, keepMask?: (0 | 1)[]): Promise<GenerationInput> => {
    // Objects (SAM) hold the sequence's word ids, not image tokens: their picture goes in (the host reads the masks back).
    if (layer.tokens?.agree && !options.picturesAsPixels && !isSamInstanceLayer(layer.id)) return { kind: 'image-tokens', tokens: Array.from(layer.tokens.ids), ...(keepMask ? { keepMask } : {}) };
    const c = layer.content;
    if (c.kind !== 'image' && c.kind !== 'segmentation') throw new RequestBuildError(`${layer.id} is not a pixel layer`);
    const classes = c.kind === 'segmentation' ? (doc.manifest.modalities.find((m) => m.id === layer.id)?.classes ?? []) : null;
    const raster: RgbaRaster = planeToRaster(c.plane, classes);
    const ref = `sha256:${await hash(raster.rgba)}`;
    images[ref] = { width: raster.width, height: raster.height, rgba: bytesToBase64(raster.rgba) };
    return { kind: 'image-pixels', ref, ...(keepMask ? { keepMask } : {}) };
  };

  // Never a role the model cannot do (a project made for another model): refused here as readiness refuses it.
  for (const layer of doc.layers.values()) {
    if (layer.role !== 'ignore' && !canTakeRole(doc.manifest, layer.id, layer.role)) {
      throw new RequestBuildError(`${layer.id}: this model cannot ${layer.role === 'generate' ? 'generate it' : 'take it as a condition'}`);
    }
  }

  for (const layer of doc.layers.values()) {
    if (layer.role !== 'condition') continue;
    if (layer.sync === 'empty') {
      skipped.push(layer.id);
      continue;
    }
    const c = layer.content;
    if (c.kind === 'image' || c.kind === 'segmentation') inputs[layer.id] = await pixelInput(layer);
    else if (c.kind === 'text' && c.text.trim()) inputs[layer.id] = { kind: 'text', text: c.text.trim() };
    else if (c.kind === 'boxes' && c.boxes.length) inputs[layer.id] = { kind: 'text', text: boxesToDetText(c.boxes, options.coordBins) };
    else if (c.kind === 'palette' && c.swatches.length) inputs[layer.id] = { kind: 'text', text: paletteToText(c.swatches) };
    // A picture reference steers through its 16 tokens (the model's own reading of the picture).
    else if (c.kind === 'reference' && c.ids) inputs[layer.id] = { kind: 'image-tokens', tokens: Array.from(c.ids) };
    else skipped.push(layer.id);
  }

  const conditionIds = Object.keys(inputs);
  const weighted = conditionIds.some((id) => (s.conditionWeights[id] ?? 1) !== 1);
  const targets: TargetRequest[] = [];
  for (const t of options.targets) {
    const layer = doc.layers.get(t.modality);
    if (!layer || layer.role !== 'generate') continue;
    // Objects (SAM) are a sequence to the model: no tokens to keep outside a region.
    if (layer.mask && layer.sync !== 'empty' && layer.mask.includes(0) && isSamInstanceLayer(layer.id)) {
      throw new RequestBuildError(`${layer.id}: its objects are generated for the whole picture; clear its region (Region: Clear) to generate it`);
    }
    // Region: keep the tokens outside the mask as visible inputs, regenerate the rest.
    if (layer.mask && layer.sync !== 'empty' && (layer.kind === 'image' || layer.kind === 'segmentation') && layer.mask.includes(0)) {
      inputs[layer.id] = await pixelInput(layer, Array.from(layer.mask, (v) => (v ? 0 : 1)));
    }
    targets.push({
      modality: t.modality,
      scheme: t.scheme,
      steps: clampCount(t.steps, MAX_TARGET_STEPS),
      tokenSchedule: s.tokenSchedule,
      temperature: t.temperature ?? s.temperature,
      temperatureSchedule: s.temperatureSchedule,
      cfgScale: t.cfgScale ?? s.cfgScale,
      topK: s.topK,
      topP: t.topP ?? s.topP,
      // Only asked for when it is not the default, so requests without it stay as they were.
      ...(t.tokenChoice === 'expected-code' && t.scheme !== 'autoregressive' ? { tokenChoice: 'expected-code' as const } : {}),
      ...(s.neighbourAgreement > 0 && t.scheme !== 'autoregressive' && t.tokenChoice !== 'expected-code' ? { neighbourAgreement: s.neighbourAgreement } : {}),
      ...(weighted ? { cfgConditionWeights: Object.fromEntries(conditionIds.filter((id) => id !== t.modality).map((id) => [id, s.conditionWeights[id] ?? 1])) } : {}),
    });
  }
  if (targets.length === 0) throw new RequestBuildError('Nothing to generate: set at least one layer’s role to "generate".');

  const request: GenerationRequest = {
    version: GENERATION_REQUEST_VERSION,
    modelId: options.modelId,
    seed: options.seed,
    inputs,
    targets,
    cfgGrowConditioning: true,
    ...(s.independentTargets ? { independentTargets: true } : {}),
    ...(clampCount(s.variations, MAX_VARIATIONS) > 1 ? { variations: clampCount(s.variations, MAX_VARIATIONS) } : {}),
  };
  return { request, images, skipped };
}

/** A typed number field bypasses its `max`: whatever it holds becomes an integer in [1, max]. */
export function clampCount(value: number, max: number): number {
  if (!Number.isFinite(value)) return 1;
  return Math.min(max, Math.max(1, Math.round(value)));
}
