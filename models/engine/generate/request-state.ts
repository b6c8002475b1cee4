/**
 * GenerationRequest → the sampler's initial state and plan. Inputs become
 * conditions (images fully visible, text visible up to [EOS]); targets start
 * empty, or keep their kept tokens when an image input is also a target
 * (inpainting), or become custom_text when a text input is also a target.
 */
import type { GenerationRequest, GenerationInput } from '../../../preload/contract/generation';
import type { GenerationState, ModalityState, PlannedStep } from '../../sampling';
import {
  buildChainSchedule,
  conditionsFromRequest,
  customTextTarget,
  emptyImageTarget,
  emptySequenceTarget,
  fullImageInput,
  fullSequenceInput,
  inpaintImageTarget,
  targetSettingsFromRequest,
  tokensPerTargetFromState,
} from '../../sampling';
import type { RgbaImage } from '../../tokenizers/image';
import type { EngineModel } from './engine-model';
import { encodeImage } from './image-codec';

/** Resolves an image-pixels ref (e.g. "sha256:…" or a file the CLI registered) to pixels. */
export type PixelResolver = (ref: string) => Promise<RgbaImage>;

export class RequestError extends Error {
  override name = 'RequestError';
}

export async function initialState(model: EngineModel, request: GenerationRequest, resolvePixels?: PixelResolver): Promise<Record<string, ModalityState>> {
  const targets = new Set(request.targets.map((t) => t.modality));
  const state: Record<string, ModalityState> = {};
  for (const [name, input] of Object.entries(request.inputs)) {
    state[name] = await inputModality(model, name, input, targets.has(name), resolvePixels);
  }
  for (const t of request.targets) {
    if (state[t.modality]) continue;
    const spec = model.modality(t.modality);
    state[t.modality] = spec.type === 'img' ? emptyImageTarget(spec.grid[0] * spec.grid[1]) : emptySequenceTarget(spec.maxLength, model.vocab);
  }
  return state;
}

async function inputModality(model: EngineModel, name: string, input: GenerationInput, isTarget: boolean, resolvePixels?: PixelResolver): Promise<ModalityState> {
  const spec = model.modality(name);
  if (input.kind === 'image-tokens' || input.kind === 'image-pixels') {
    if (spec.type !== 'img') throw new RequestError(`inputs.${name}: an image input for a sequence modality`);
    let tokens: ArrayLike<number>;
    if (input.kind === 'image-tokens') tokens = input.tokens;
    else {
      if (!resolvePixels) throw new RequestError(`inputs.${name}: image-pixels "${input.ref}" but no pixel resolver was given`);
      tokens = await encodeImage(model, spec, await resolvePixels(input.ref));
    }
    const n = spec.grid[0] * spec.grid[1];
    if (tokens.length !== n) throw new RequestError(`inputs.${name}.tokens: ${tokens.length} tokens, expected ${n} (${spec.grid.join('×')})`);
    for (let i = 0; i < n; i++) {
      const v = tokens[i] as number;
      if (v >= spec.vocabSize) throw new RequestError(`inputs.${name}.tokens.${i}: ${v} is outside the vocabulary 0…${spec.vocabSize - 1}`);
    }
    return isTarget && input.keepMask ? inpaintImageTarget(tokens, input.keepMask) : fullImageInput(tokens);
  }
  if (spec.type !== 'seq') throw new RequestError(`inputs.${name}: a ${input.kind} input for an image modality`);
  const ids = input.kind === 'text' ? model.text.encode(input.text) : Int32Array.from(input.tokens);
  for (const v of ids) {
    if (v >= spec.vocabSize) throw new RequestError(`inputs.${name}: token ${v} is outside the vocabulary 0…${spec.vocabSize - 1}`);
  }
  if (isTarget) {
    const room = spec.maxLength - ids.length;
    if (room < 2) throw new RequestError(`inputs.${name}: ${ids.length} tokens leave no room to generate (max ${spec.maxLength})`);
    return customTextTarget(ids, model.vocab, room);
  }
  const state = fullSequenceInput(ids, model.vocab);
  if (state.tokens.length > spec.maxLength) {
    throw new RequestError(`inputs.${name}: ${state.tokens.length} tokens with [EOS], the model takes at most ${spec.maxLength}`);
  }
  return state;
}

/**
 * The chain's steps. `codeLevels` gives a modality's FSQ levels (the package manifest's
 * tokenizer.fsqLevels), needed by targets that ask for tokenChoice 'expected-code'.
 */
export function planRequest(request: GenerationRequest, state: GenerationState, codeLevels?: (modality: string) => readonly number[] | undefined): PlannedStep[] {
  const targets = targetSettingsFromRequest(request).map((t, i) => {
    const agreement = request.targets[i]?.neighbourAgreement ?? 0;
    if (agreement > 0 && request.targets[i]?.tokenChoice !== 'expected-code') {
      if (t.scheme === 'autoregressive') throw new RequestError(`targets.${i}.neighbourAgreement: neighbours are for image targets; ${t.modality} is generated token by token`);
      const levels = codeLevels?.(t.modality);
      // Only FSQ codes have a geometry the engine knows; other tokenizers sample from the model alone.
      if (levels) return { ...t, neighbourPrior: { levels, strength: agreement } };
      return t;
    }
    if (request.targets[i]?.tokenChoice !== 'expected-code') return t;
    if (t.scheme === 'autoregressive') throw new RequestError(`targets.${i}.tokenChoice: expected-code is for image targets; ${t.modality} is generated token by token`);
    const levels = codeLevels?.(t.modality);
    if (!levels) throw new RequestError(`targets.${i}.tokenChoice: expected-code needs an FSQ tokenizer, and this model's ${t.modality} tokenizer does not declare its levels`);
    return { ...t, codeLevels: levels };
  });
  return buildChainSchedule({
    conditions: conditionsFromRequest(request),
    targets,
    tokensPerTarget: tokensPerTargetFromState(state, targets.filter((t) => t.scheme !== 'autoregressive')),
    cfgGrowConditioning: request.cfgGrowConditioning,
    arTargetsJoinConditioning: request.arTargetsJoinConditioning ?? false,
    independentTargets: request.independentTargets ?? false,
  });
}
