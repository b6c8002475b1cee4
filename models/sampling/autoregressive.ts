/**
 * Autoregressive decoding of a sequence target (reference §3.3): start from the
 * first target id ([S_1]), sample one token at a time until the last target id
 * (the stop token: [S_2] for an empty init, [EOS] for custom text) or the length
 * cap, then merge the span back so the sequence conditions later targets.
 */
import type { Rng, SamplingSettings } from '../core';
import { SamplingScratch, sampleToken } from '../core';
import { combineGuidance, guidanceStates } from './guidance';
import { mergedSequenceModality } from './merge';
import type { CancelSignal, ModelStep } from './model';
import { throwIfCancelled } from './model';
import type { PlannedStep } from './plan';
import type { GenerationState, ModalityState, SequenceVocab } from './state';
import { getModality, pendingPositions } from './state';

export interface AutoregressiveOptions {
  readonly model: ModelStep;
  readonly rng: Rng;
  readonly vocab: SequenceVocab;
  /** The modality's max_tokens; the number of target positions caps it too. */
  readonly maxTokens?: number | undefined;
  /** Checked before every token. */
  readonly signal?: CancelSignal | undefined;
  /** Called after every token with the decoder ids so far (start token first). */
  readonly onToken?: ((prefix: Int32Array, index: number, maxNew: number) => void) | undefined;
}

export interface AutoregressiveResult {
  readonly state: GenerationState;
  /** Decoder output: start token, generated tokens (stop token included when reached). */
  readonly generated: Int32Array;
  readonly stopped: boolean;
}

export async function autoregressiveStep(
  state: GenerationState,
  step: PlannedStep,
  opts: AutoregressiveOptions,
): Promise<AutoregressiveResult> {
  const target = getModality(state, step.target);
  const positions = pendingPositions(target);
  if (positions.length === 0) throw new RangeError(`'${step.target}' has no target positions`);
  const start = target.tokens[positions[0] as number] as number;
  const stop = target.tokens[positions[positions.length - 1] as number] as number;
  const maxNew = Math.min(opts.maxTokens ?? Infinity, positions.length);

  // The encoder inputs do not change while decoding, so the guidance states are built once.
  const states = guidanceStates(state, step.guidance, opts.vocab);
  const settings: SamplingSettings = { temperature: step.temperature, topK: step.topK, topP: step.topP };
  const out = new Int32Array(maxNew + 1);
  out[0] = start;
  let len = 1;
  let stopped = false;
  let scratch: SamplingScratch | undefined;
  while (len - 1 < maxNew) {
    throwIfCancelled(opts.signal);
    const prefix = out.subarray(0, len);
    const raw = await opts.model.sequenceLogits(states.map((s) => ({ state: s, target: step.target, prefix })));
    const logits = combineGuidance(step.guidance, raw);
    scratch ??= new SamplingScratch(logits.length);
    const { token } = sampleToken(logits, 0, settings, opts.rng, scratch);
    out[len++] = token;
    opts.onToken?.(out.slice(0, len), len - 1, maxNew);
    if (token === stop) {
      stopped = true;
      break;
    }
  }
  const generated = out.slice(0, len);
  const merged = mergedSequenceModality(target, generated, opts.vocab);
  return { state: { ...state, [step.target]: merged }, generated, stopped };
}

/** The target with the partial output written into its target positions (for previews). */
export function partialSequence(target: ModalityState, prefix: Int32Array): ModalityState {
  const positions = pendingPositions(target);
  const tokens = target.tokens.slice();
  const n = Math.min(prefix.length, positions.length);
  for (let j = 0; j < n; j++) tokens[positions[j] as number] = prefix[j] as number;
  return { kind: target.kind, tokens, inputMask: target.inputMask.slice(), targetMask: target.targetMask.slice() };
}
