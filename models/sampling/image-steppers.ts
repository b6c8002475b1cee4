/**
 * MaskGIT and ROAR steps for image-like targets (reference §3.3). Each step
 * takes a state and returns a new state (the target modality copied, others
 * shared) plus what a preview needs.
 */
import type { Rng, SamplingSettings } from '../core';
import { CodeLattice, NeighbourPrior, SamplingScratch, sampleToken } from '../core';
import { combineGuidance, guidanceStates } from './guidance';
import type { ModelStep } from './model';
import type { PlannedStep } from './plan';
import type { GenerationState, ModalityState, SequenceVocab } from './state';
import { cloneModality, getModality, pendingPositions } from './state';

export interface ImageStepRngs {
  /** ROAR position choice; drawn once and shared by every guidance pass. */
  readonly positions: Rng;
  /** Token draws. */
  readonly tokens: Rng;
}

export interface ImageStepResult {
  readonly state: GenerationState;
  /** Positions the model was queried at (ascending). */
  readonly queried: Int32Array;
  /** Sampled token per queried position (MaskGIT samples more than it commits). */
  readonly sampled: Int32Array;
  /** Probability of each sampled token (MaskGIT confidence). */
  readonly probs: Float32Array;
  /** Positions committed this step (ascending). */
  readonly committed: Int32Array;
}

export interface ImageStepOptions {
  readonly model: ModelStep;
  readonly rngs: ImageStepRngs;
  /** Needed only when a sequence condition must be emptied for guidance. */
  readonly vocab?: SequenceVocab | undefined;
}

/** MaskGIT: query every pending position, commit the numTokens most confident samples. */
export async function maskgitStep(state: GenerationState, step: PlannedStep, opts: ImageStepOptions): Promise<ImageStepResult> {
  const target = getModality(state, step.target);
  const pending = pendingPositions(target);
  const k = step.numTokens ?? pending.length;
  if (k > pending.length) {
    throw new RangeError(`maskgit step asks for ${k} tokens but '${step.target}' has ${pending.length} left`);
  }
  if (k === 0) return emptyResult(state);
  const { sampled, probs } = await sampleAt(state, step, pending, opts);
  const chosen = topByProb(probs, k).sort(); // ascending row index = ascending position
  const committed = Int32Array.from(chosen, (j) => pending[j] as number);
  const ids = Int32Array.from(chosen, (j) => sampled[j] as number);
  const next = commit(target, committed, ids);
  return { state: { ...state, [step.target]: next }, queried: pending, sampled, probs, committed };
}

/** ROAR: pick numTokens pending positions at random, query only those, commit all. */
export async function roarStep(state: GenerationState, step: PlannedStep, opts: ImageStepOptions): Promise<ImageStepResult> {
  const target = getModality(state, step.target);
  const pending = pendingPositions(target);
  const k = Math.min(step.numTokens ?? pending.length, pending.length);
  if (k === 0) return emptyResult(state);
  const picked = choosePositions(pending, k, opts.rngs.positions);
  const { sampled, probs } = await sampleAt(state, step, picked, opts);
  const next = commit(target, picked, sampled);
  return { state: { ...state, [step.target]: next }, queried: picked, sampled, probs, committed: picked };
}

/** k distinct positions chosen uniformly (partial Fisher–Yates), returned ascending. */
export function choosePositions(pending: Int32Array, k: number, rng: Rng): Int32Array {
  const pool = pending.slice();
  for (let i = 0; i < k; i++) {
    const j = i + rng.nextInt(pool.length - i);
    const t = pool[i] as number;
    pool[i] = pool[j] as number;
    pool[j] = t;
  }
  return pool.subarray(0, k).sort();
}

/** Runs the guidance passes at `positions` in one batch and samples each row. */
async function sampleAt(
  state: GenerationState,
  step: PlannedStep,
  positions: Int32Array,
  opts: ImageStepOptions,
): Promise<{ sampled: Int32Array; probs: Float32Array }> {
  const states = guidanceStates(state, step.guidance, opts.vocab);
  const raw = await opts.model.imageLogits(states.map((s) => ({ state: s, target: step.target, positions })));
  const logits = combineGuidance(step.guidance, raw);
  const vocabSize = logits.length / positions.length;
  if (!Number.isInteger(vocabSize) || vocabSize < 1) {
    throw new Error(`model returned ${logits.length} logits for ${positions.length} positions`);
  }
  const scratch = new SamplingScratch(vocabSize);
  const settings: SamplingSettings = { temperature: step.temperature, topK: step.topK, topP: step.topP };
  const lattice = step.codeLevels ? new CodeLattice(step.codeLevels) : undefined;
  if (lattice && lattice.vocabSize !== vocabSize) {
    throw new Error(`'${step.target}': FSQ levels [${lattice.levels.join(', ')}] make ${lattice.vocabSize} codes, the model has ${vocabSize}`);
  }
  const prior = !lattice && step.neighbourPrior ? new NeighbourPrior(step.neighbourPrior.levels, step.neighbourPrior.strength) : undefined;
  if (prior) {
    if (prior.vocabSize !== vocabSize) {
      throw new Error(`'${step.target}': FSQ levels [${step.neighbourPrior?.levels.join(', ')}] make ${prior.vocabSize} codes, the model has ${vocabSize}`);
    }
    const target = getModality(state, step.target);
    const side = Math.round(Math.sqrt(target.tokens.length));
    if (side * side === target.tokens.length) {
      positions.forEach((p, r) => prior.apply(logits, r * vocabSize, p, side, target.tokens, target.inputMask));
    }
  }
  const sampled = new Int32Array(positions.length);
  const probs = new Float32Array(positions.length);
  for (let r = 0; r < positions.length; r++) {
    const s = lattice ? lattice.expectedToken(logits, r * vocabSize, scratch.probs) : sampleToken(logits, r * vocabSize, settings, opts.rngs.tokens, scratch);
    sampled[r] = s.token;
    probs[r] = s.prob;
  }
  return { sampled, probs };
}

/** Indices of the k largest probabilities; equal probabilities go to the lower index. */
function topByProb(probs: Float32Array, k: number): Int32Array {
  const idx = Int32Array.from({ length: probs.length }, (_, i) => i);
  idx.sort((a, b) => (probs[b] as number) - (probs[a] as number) || a - b);
  return idx.subarray(0, k);
}

/** Writes ids[i] at positions[i] and flips them to visible inputs / non-targets. */
function commit(m: ModalityState, positions: Int32Array, ids: Int32Array): ModalityState {
  const next = cloneModality(m);
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i] as number;
    next.tokens[p] = ids[i] as number;
    next.inputMask[p] = 0;
    next.targetMask[p] = 1;
  }
  return next;
}

function emptyResult(state: GenerationState): ImageStepResult {
  const none = new Int32Array(0);
  return { state, queried: none, sampled: none, probs: new Float32Array(0), committed: none };
}

/**
 * Tokens for a preview: committed ids plus this step's uncommitted samples
 * (the reference's write_all_predictions view).
 */
export function previewTokens(result: ImageStepResult, target: string): Int32Array {
  const tokens = getModality(result.state, target).tokens.slice();
  result.queried.forEach((p, r) => {
    tokens[p] = result.sampled[r] as number;
  });
  return tokens;
}
