/**
 * The generation settings of each evaluated task, matching the recipe's
 * PyTorch evaluation (fourm_recipe/fm/evaluate.py) so numbers are comparable:
 * one-step RGB→X and RGB→caption are greedy without guidance; semseg→RGB and
 * caption→RGB use ROAR, 8 linear steps, temperature 0.7, guidance 2 against the
 * condition dropped, no top-k/top-p filtering. Pure: builds requests only.
 */
import type { GenerationInput, GenerationRequest, TargetRequest } from '../../preload/contract/generation';

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

export const GUIDED = { steps: 8, temperature: 0.7, cfgScale: 2 } as const;

export function roarGuided(modality: string): TargetRequest {
  return { ...base, modality, scheme: 'roar', steps: GUIDED.steps, temperature: GUIDED.temperature, cfgScale: GUIDED.cfgScale };
}

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
 * Inpainting: ROAR 8 steps, greedy, no guidance (there is no other condition to drop). Greedy
 * because PSNR rewards the most likely fill; sampling would add noise to both sides of the comparison.
 */
export function inpaintGreedy(modality: string): TargetRequest {
  return { ...base, modality, scheme: 'roar', steps: GUIDED.steps };
}
