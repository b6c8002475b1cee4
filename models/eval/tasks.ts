/**
 * The generation settings of each evaluated task. Reading rows (one-step RGB→X and
 * RGB→caption) are greedy without guidance, matching the recipe's PyTorch evaluation
 * (fourm_recipe/fm/evaluate.py) so those numbers are comparable. Picture rows (semseg,
 * caption and boxes → RGB) use the product's own defaults (preload/contract/sampling-defaults),
 * so the evaluation measures what a user gets; a sweep overrides them. Pure: builds requests only.
 */
import type { GenerationInput, GenerationRequest, TargetRequest } from '../../preload/contract/generation';
import { pictureTarget, type ImageSampling, type PictureSource } from '../../preload/contract/sampling-defaults';

const base: Omit<TargetRequest, 'modality' | 'scheme' | 'steps'> = {
  tokenSchedule: 'linear',
  temperature: 0,
  temperatureSchedule: 'constant',
  cfgScale: 1,
  topK: 0,
  topP: 0,
};

/** Temperature 0 is argmax in models/core's sampler, as temp=0 is in the recipe's generate_image. */
export function oneStepGreedy(modality: string): TargetRequest {
  return { ...base, modality, scheme: 'roar', steps: 1 };
}

/** A picture from a layout or from words, with the product's defaults and a sweep's overrides. */
export function pictureFrom(modality: string, source: PictureSource, overrides: Partial<ImageSampling> = {}): TargetRequest {
  return pictureTarget(modality, source, overrides);
}

/** Inpainting's steps (ROAR, greedy). */
export const INPAINT_STEPS = 8;

export function sequenceGreedy(modality: string): TargetRequest {
  return { ...base, modality, scheme: 'autoregressive', steps: 1 };
}

export function evalRequest(modelId: string, inputs: Record<string, GenerationInput>, target: TargetRequest, seed: number): GenerationRequest {
  // One target per request: a chained second target would see the first as a condition,
  // which the recipe's per-task evaluation never does.
  return { version: 1, modelId, seed, inputs, targets: [target], cfgGrowConditioning: true };
}

export function tokensInput(tokens: ArrayLike<number>): GenerationInput {
  return { kind: 'image-tokens', tokens: Array.from(tokens) };
}

/**
 * Inpainting, greedy: ROAR 8 steps, the likeliest token, no guidance (there is no other
 * condition to drop).
 */
export function inpaintGreedy(modality: string): TargetRequest {
  return { ...base, modality, scheme: 'roar', steps: INPAINT_STEPS };
}

/**
 * Inpainting, expected code: every hidden token in one step at the model's expected FSQ code
 * (core/expected-code.ts), the choice that minimises expected code error, which is what PSNR
 * measures; the likeliest id ignores that its code-space neighbours decode to nearly the same
 * pixels. One step: on 24 held-out scenes (recipe PyTorch path) it scored 26.60 dB, ROAR 8 with
 * the same choice 26.48, greedy ROAR 8 25.63, copying 26.24.
 */
export function inpaintExpectedCode(modality: string): TargetRequest {
  return { ...base, modality, scheme: 'roar', steps: 1, tokenChoice: 'expected-code' };
}
