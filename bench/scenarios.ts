/** The benchmark's requests: the three flows on the default model. */
import type { GenerationRequest, TargetRequest } from '../preload/contract/generation';
import { pictureTarget, PREDICTION_SAMPLING, sequenceTemperature, type PictureSource } from '../preload/contract/sampling-defaults';

/** From RGB: 4M's one-step prediction; otherwise the app's measured picture default for the source. */
const img = (modality: string, fromRgb: boolean, source: PictureSource = 'layout'): TargetRequest =>
  fromRgb ? { modality, ...PREDICTION_SAMPLING } : pictureTarget(modality, source);

/** An autoregressive target as the app asks for it (top-p 0.8, no guidance). */
export const seq = (modality: string, temperature: number): TargetRequest => ({
  modality,
  scheme: 'autoregressive',
  steps: 1,
  tokenSchedule: 'linear',
  temperature,
  temperatureSchedule: 'constant',
  cfgScale: 1,
  topK: 0,
  topP: 0.8,
});

const base = (modelId: string, inputs: GenerationRequest['inputs'], targets: TargetRequest[]): GenerationRequest => ({
  version: 1,
  modelId,
  seed: 1,
  inputs,
  targets,
  cfgGrowConditioning: true,
});

/**
 * Every layer from one picture. `chained` is 4M's chain (each result conditions the
 * next); otherwise each target comes from the picture alone, as `4m predict` and the
 * editor's "from the conditions only" run it.
 */
export function rgbToAll(modelId: string, rgbTokens: number[], withSequences: boolean, chained = false): GenerationRequest {
  const images = ['tok_semseg@128', 'tok_depth@128', 'tok_normal@128', 'tok_edge@128'].map((m) => img(m, true));
  const sequences = withSequences ? [seq('caption', sequenceTemperature('caption')), seq('det', sequenceTemperature('det')), seq('color_palette', sequenceTemperature('color_palette'))] : [];
  const request = base(modelId, { 'tok_rgb@128': { kind: 'image-tokens', tokens: rgbTokens } }, [...images, ...sequences]);
  return chained ? request : { ...request, independentTargets: true };
}

export function semsegToRgb(modelId: string, semsegTokens: number[]): GenerationRequest {
  return base(modelId, { 'tok_semseg@128': { kind: 'image-tokens', tokens: semsegTokens } }, [img('tok_rgb@128', false, 'layout')]);
}

export function captionToRgb(modelId: string, caption: string): GenerationRequest {
  return base(modelId, { caption: { kind: 'text', text: caption } }, [img('tok_rgb@128', false, 'words')]);
}

/** The autoregressive path alone: RGB → caption. */
export function rgbToCaption(modelId: string, rgbTokens: number[]): GenerationRequest {
  return base(modelId, { 'tok_rgb@128': { kind: 'image-tokens', tokens: rgbTokens } }, [seq('caption', sequenceTemperature('caption'))]);
}
