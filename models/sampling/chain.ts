/**
 * Runs a planned chain over several targets: one stepper call per planned
 * step, a progress event after every step (every token for autoregressive
 * targets), cancellation checked between steps. Randomness for step i comes
 * from streams derived from (seed, i, purpose), so a request replays exactly.
 *
 * Independent targets: each target runs on the conditions alone (the other
 * targets are absent from its state) and draws from (seed, its own step
 * index, purpose), so it comes out exactly as in a request for it alone.
 */
import { deriveRng } from '../core';
import { autoregressiveStep, partialSequence } from './autoregressive';
import type { ImageStepResult } from './image-steppers';
import { maskgitStep, previewTokens, roarStep } from './image-steppers';
import type { CancelSignal, ModelStep } from './model';
import { loopYielder, throwIfCancelled } from './model';
import type { PlannedStep, Scheme } from './plan';
import type { GenerationState, ModalityState, SequenceVocab } from './state';
import { cloneModality, getModality } from './state';

export interface StepEvent {
  readonly target: string;
  readonly scheme: Scheme;
  /** 1-based step within the target (token index for autoregressive targets). */
  readonly step: number;
  /** Steps of this target (the length cap for autoregressive targets). */
  readonly totalSteps: number;
  /** 0-based index into the whole schedule. */
  readonly scheduleIndex: number;
  /** Copy of the target modality after this step. */
  readonly snapshot: ModalityState;
  /** Tokens to decode for a preview: committed ids plus this step's other samples. */
  readonly previewTokens: Int32Array;
}

export interface ChainOptions {
  readonly model: ModelStep;
  readonly seed: number;
  /** Sentinel ids; required when a sequence is generated or emptied for guidance. */
  readonly vocab?: SequenceVocab | undefined;
  /** max_tokens per sequence modality (e.g. caption 256). */
  readonly maxTokens?: Readonly<Record<string, number>> | undefined;
  readonly signal?: CancelSignal | undefined;
  readonly onStep?: ((event: StepEvent) => void) | undefined;
  /** Predict each target from the non-target modalities only (see the file comment). */
  readonly independentTargets?: boolean | undefined;
}

export const RNG_PURPOSE_POSITIONS = 'positions';
export const RNG_PURPOSE_TOKENS = 'tokens';

export async function runChain(
  initial: GenerationState,
  schedule: readonly PlannedStep[],
  opts: ChainOptions,
): Promise<GenerationState> {
  if (opts.independentTargets) return runIndependent(initial, schedule, opts);
  let state = initial;
  const yieldTurn = loopYielder();
  for (let i = 0; i < schedule.length; i++) {
    await yieldTurn();
    throwIfCancelled(opts.signal);
    const step = schedule[i] as PlannedStep;
    checkSchemeFits(state, step);
    state = await runStep(state, step, i, i, opts);
  }
  throwIfCancelled(opts.signal);
  return state;
}

async function runIndependent(initial: GenerationState, schedule: readonly PlannedStep[], opts: ChainOptions): Promise<GenerationState> {
  const targets = new Set(schedule.map((s) => s.target));
  const conditions = Object.fromEntries(Object.entries(initial).filter(([name]) => !targets.has(name)));
  const results: Record<string, ModalityState> = { ...initial };
  let state: GenerationState = initial;
  let first = 0;
  const yieldTurn = loopYielder();
  for (let i = 0; i < schedule.length; i++) {
    await yieldTurn();
    throwIfCancelled(opts.signal);
    const step = schedule[i] as PlannedStep;
    if (i === 0 || schedule[i - 1]?.target !== step.target) {
      state = { ...conditions, [step.target]: getModality(initial, step.target) };
      first = i;
    }
    checkSchemeFits(state, step);
    state = await runStep(state, step, i, i - first, opts);
    results[step.target] = getModality(state, step.target);
  }
  throwIfCancelled(opts.signal);
  return results;
}

/** `index` places the step in the schedule (events); `rngIndex` picks its random streams. */
function runStep(state: GenerationState, step: PlannedStep, index: number, rngIndex: number, opts: ChainOptions): Promise<GenerationState> {
  return step.scheme === 'autoregressive' ? runSequenceStep(state, step, index, rngIndex, opts) : runImageStep(state, step, index, rngIndex, opts);
}

/** The reference dispatches on modality type; here a mismatch is an error instead of a silent switch. */
function checkSchemeFits(state: GenerationState, step: PlannedStep): void {
  const kind = getModality(state, step.target).kind;
  const wants = step.scheme === 'autoregressive' ? 'sequence' : 'image';
  if (kind !== wants) {
    throw new Error(`target '${step.target}' is a ${kind} modality; scheme '${step.scheme}' needs a ${wants} modality`);
  }
}

async function runImageStep(state: GenerationState, step: PlannedStep, index: number, rngIndex: number, opts: ChainOptions): Promise<GenerationState> {
  const rngs = {
    positions: deriveRng(opts.seed, rngIndex, RNG_PURPOSE_POSITIONS),
    tokens: deriveRng(opts.seed, rngIndex, RNG_PURPOSE_TOKENS),
  };
  const stepper = step.scheme === 'maskgit' ? maskgitStep : roarStep;
  const result: ImageStepResult = await stepper(state, step, { model: opts.model, rngs, vocab: opts.vocab });
  opts.onStep?.({
    target: step.target,
    scheme: step.scheme,
    step: step.targetStep + 1,
    totalSteps: step.targetSteps,
    scheduleIndex: index,
    snapshot: cloneModality(getModality(result.state, step.target)),
    previewTokens: previewTokens(result, step.target),
  });
  return result.state;
}

async function runSequenceStep(state: GenerationState, step: PlannedStep, index: number, rngIndex: number, opts: ChainOptions): Promise<GenerationState> {
  if (!opts.vocab) throw new Error(`autoregressive target '${step.target}' needs a SequenceVocab`);
  const target = getModality(state, step.target);
  const result = await autoregressiveStep(state, step, {
    model: opts.model,
    rng: deriveRng(opts.seed, rngIndex, RNG_PURPOSE_TOKENS),
    vocab: opts.vocab,
    maxTokens: opts.maxTokens?.[step.target],
    signal: opts.signal,
    onToken: (prefix, tokenIndex, maxNew) => {
      const snapshot = partialSequence(target, prefix);
      opts.onStep?.({
        target: step.target,
        scheme: step.scheme,
        step: tokenIndex,
        totalSteps: maxNew,
        scheduleIndex: index,
        snapshot,
        previewTokens: snapshot.tokens,
      });
    },
  });
  return result.state;
}
