/**
 * The 4M-B section's two flows on an official-format model, as requests with the app's default
 * sampling settings (preload/contract/sampling-defaults.ts, the same table `npm run bench` reads):
 * - caption → RGB tokens: ROAR 16 steps, T 1 cooling linearly, top-p 0.9, guidance 3 (a picture from words);
 * - RGB → all: every other image-token output of the model (4M's one-step prediction: ROAR 1 step,
 *   T 0.01, top-p 0.8, guidance 2) and the caption (autoregressive, T 0.3, top-p 0.8), each from the
 *   picture alone, as the editor's "predict every layer" runs it.
 * The same requests become the engine's state and schedule here and the official sampler's
 * schedule arguments in the Python half (`pythonSpec`), so both run the same work.
 */
import type { GenerationRequest, TargetRequest } from '../preload/contract/generation';
import { PICTURE_SAMPLING, PREDICTION_SAMPLING, sequenceTemperature } from '../preload/contract/sampling-defaults';
import type { OfficialModality } from '../models/engine/fm/official-modalities';
import {
  buildChainSchedule, conditionsFromRequest, emptyImageTarget, emptySequenceTarget, fullImageInput, fullSequenceInput, targetSettingsFromRequest,
  tokensPerTargetFromState, type GenerationState, type ModalityState, type PlannedStep, type SequenceVocab,
} from '../models/sampling';
import { createRng } from '../models/core';
import { seq } from './scenarios';

export const RGB = 'tok_rgb@224';
export const MODEL_ID = 'official-4m21-random';

export interface FlowInputs {
  /** 196 random RGB token ids (the bench times the FM, not the tokenizer). */
  readonly rgbTokens: number[];
  /** WordPiece ids of a caption, [EOS] last. */
  readonly captionIds: number[];
}

/** Deterministic inputs: RGB ids in the 16,384-code book, ten word ids (4M's vocabulary has words from 4284) + [EOS]. */
export function flowInputs(seed = 14): FlowInputs {
  const rng = createRng(seed);
  const rgbTokens = Array.from({ length: 196 }, () => rng.nextInt(16_384));
  const captionIds = [...Array.from({ length: 10 }, () => 4284 + rng.nextInt(30_000 - 4284)), 3];
  return { rgbTokens, captionIds };
}

const request = (inputs: GenerationRequest['inputs'], targets: TargetRequest[], independentTargets: boolean): GenerationRequest => ({
  version: 1,
  modelId: MODEL_ID,
  seed: 1,
  inputs,
  targets,
  cfgGrowConditioning: true,
  independentTargets,
});

export function captionToRgb(inputs: FlowInputs): GenerationRequest {
  return request({ caption: { kind: 'sequence-tokens', tokens: inputs.captionIds } }, [{ modality: RGB, ...PICTURE_SAMPLING.words }], false);
}

/** Every image-token output but RGB (sorted, the official order), then the caption. */
export function rgbToAllTargets(table: readonly OfficialModality[]): string[] {
  const images = table.filter((m) => m.output && m.kind === 'image-tokens' && m.name !== RGB).map((m) => m.name);
  return table.some((m) => m.name === 'caption' && m.output) ? [...images, 'caption'] : images;
}

export function rgbToAll(inputs: FlowInputs, table: readonly OfficialModality[]): GenerationRequest {
  const targets = rgbToAllTargets(table).map((m): TargetRequest => (m === 'caption' ? seq(m, sequenceTemperature(m)) : { modality: m, ...PREDICTION_SAMPLING }));
  return request({ [RGB]: { kind: 'image-tokens', tokens: inputs.rgbTokens } }, targets, true);
}

export interface PreparedFlow {
  readonly state: GenerationState;
  readonly schedule: PlannedStep[];
  readonly independentTargets: boolean;
}

/**
 * The engine's initial state and schedule of a request on an official model. Sequence targets get
 * `sequenceLength` slots ([S_1] + up to sequenceLength − 1 tokens), the official sampler's
 * `num_tokens`: random weights never write [EOS], so the length is the cap both sides run to.
 */
export function prepareFlow(req: GenerationRequest, table: readonly OfficialModality[], vocab: SequenceVocab, sequenceLength: number): PreparedFlow {
  const spec = (name: string): OfficialModality => {
    const m = table.find((x) => x.name === name);
    if (!m) throw new Error(`the model has no modality "${name}"`);
    return m;
  };
  const state: Record<string, ModalityState> = {};
  for (const [name, input] of Object.entries(req.inputs)) {
    if (input.kind === 'image-tokens') state[name] = fullImageInput(input.tokens);
    else if (input.kind === 'sequence-tokens') state[name] = fullSequenceInput(input.tokens, vocab);
    else throw new Error(`inputs.${name}: ${input.kind} inputs are not used by the bench`);
  }
  for (const t of req.targets) {
    const m = spec(t.modality);
    state[t.modality] = m.kind === 'image-tokens' ? emptyImageTarget(m.positions) : emptySequenceTarget(sequenceLength, vocab);
  }
  const targets = targetSettingsFromRequest(req);
  const schedule = buildChainSchedule({
    conditions: conditionsFromRequest(req),
    targets,
    tokensPerTarget: tokensPerTargetFromState(state, targets.filter((t) => t.scheme !== 'autoregressive')),
    cfgGrowConditioning: req.cfgGrowConditioning,
    independentTargets: req.independentTargets ?? false,
  });
  return { state, schedule, independentTargets: req.independentTargets ?? false };
}

/** One target as the official `build_chained_generation_schedules` and `generate(top_k, top_p)` take it. */
export interface OfficialTarget {
  readonly domain: string;
  readonly scheme: 'maskgit' | 'roar' | 'autoregressive';
  /** Image tokens to decode, or the sequence's num_tokens. */
  readonly numTokens: number;
  readonly steps: number;
  /** ROAR always decodes on a linear token schedule (ours and the official planner alike). */
  readonly tokenSchedule: 'cosine' | 'linear';
  readonly temperature: number;
  readonly temperatureSchedule: string;
  readonly cfgScale: number;
  readonly topK: number;
  readonly topP: number;
}

export interface OfficialFlow {
  /** Condition domains and their token ids (images: all visible; sequences: up to [EOS]). */
  readonly inputs: Record<string, number[]>;
  readonly targets: OfficialTarget[];
  /** Each target its own generate() call from the inputs alone; else one chained schedule. */
  readonly independentTargets: boolean;
}

export function officialFlow(req: GenerationRequest, table: readonly OfficialModality[], sequenceLength: number): OfficialFlow {
  const inputs: Record<string, number[]> = {};
  for (const [name, input] of Object.entries(req.inputs)) {
    if (input.kind !== 'image-tokens' && input.kind !== 'sequence-tokens') throw new Error(`inputs.${name}: ${input.kind} inputs are not used by the bench`);
    inputs[name] = [...input.tokens];
  }
  const targets = req.targets.map((t): OfficialTarget => {
    const m = table.find((x) => x.name === t.modality);
    if (!m) throw new Error(`the model has no modality "${t.modality}"`);
    return {
      domain: t.modality,
      scheme: t.scheme,
      numTokens: m.kind === 'image-tokens' ? m.positions : sequenceLength,
      steps: t.steps,
      tokenSchedule: t.scheme === 'roar' ? 'linear' : t.tokenSchedule,
      temperature: t.temperature,
      temperatureSchedule: String(t.temperatureSchedule),
      cfgScale: t.cfgScale,
      topK: t.topK,
      topP: t.topP,
    };
  });
  return { inputs, targets, independentTargets: req.independentTargets ?? false };
}
