/**
 * Maps a GenerationRequest onto the planner's inputs. Building the initial
 * state needs tokenizers and model metadata, so it belongs to the engine side.
 */
import type { GenerationRequest } from '../../preload/contract/generation';
import type { TargetSettings } from './plan';

/** Target settings in chain order. */
export function targetSettingsFromRequest(request: GenerationRequest): TargetSettings[] {
  return request.targets.map((t) => ({
    modality: t.modality,
    scheme: t.scheme,
    steps: t.steps,
    tokenSchedule: t.tokenSchedule,
    temperature: t.temperature,
    temperatureSchedule: t.temperatureSchedule,
    cfgScale: t.cfgScale,
    cfgConditionWeights: t.cfgConditionWeights,
    topK: t.topK,
    topP: t.topP,
  }));
}

/** Guidance conditions: inputs that are not themselves targets (inpainted modalities are targets). */
export function conditionsFromRequest(request: GenerationRequest): string[] {
  const targets = new Set(request.targets.map((t) => t.modality));
  return Object.keys(request.inputs).filter((name) => !targets.has(name));
}

/** Seed of variation v (0-based). */
export function variationSeed(request: GenerationRequest, variation: number): number {
  return request.seed + variation;
}

/** Length caps of autoregressive targets, for `runChain`'s `maxTokens`. */
export function maxTokensFromRequest(request: GenerationRequest): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of request.targets) if (t.maxTokens !== undefined) out[t.modality] = t.maxTokens;
  return out;
}
