/**
 * One-token sampling from a logit row, in the reference order:
 * filter raw logits (top-k, then top-p) → divide by temperature → softmax →
 * multinomial draw. |temperature| < 1e-10 means greedy (argmax, prob 1).
 */
import { applyTopK, applyTopP, resolveTopK } from './filter';
import type { Rng } from './rng';
import { argmax, softmaxInto } from './softmax';

export interface SamplingSettings {
  temperature: number;
  /** 0 = off; integer >= 1 = count; (0, 1) = fraction of the vocabulary. */
  topK: number;
  /** 0 (or >= 1) = off. */
  topP: number;
}

export interface SampledToken {
  token: number;
  /** softmax(filtered / temperature)[token]; 1 for greedy decoding. */
  prob: number;
}

export const GREEDY_TEMPERATURE_EPS = 1e-10;

/** Reusable buffers for one vocabulary size; create once per target. */
export class SamplingScratch {
  readonly row: Float32Array;
  readonly probs: Float32Array;
  readonly work: Float32Array;
  readonly idx: Int32Array;
  readonly mass: Float64Array;
  readonly keep: Uint8Array;

  constructor(readonly vocabSize: number) {
    this.row = new Float32Array(vocabSize);
    this.probs = new Float32Array(vocabSize);
    this.work = new Float32Array(vocabSize);
    this.idx = new Int32Array(vocabSize);
    this.mass = new Float64Array(vocabSize);
    this.keep = new Uint8Array(vocabSize);
  }
}

/**
 * Samples from `logits[offset .. offset + V)` without modifying `logits`.
 * Always draws exactly one random number unless greedy, so streams stay aligned.
 */
export function sampleToken(
  logits: Float32Array,
  offset: number,
  settings: SamplingSettings,
  rng: Rng,
  scratch: SamplingScratch,
): SampledToken {
  const v = scratch.vocabSize;
  const row = scratch.row;
  row.set(logits.subarray(offset, offset + v));
  applyTopK(row, resolveTopK(settings.topK, v), scratch.work);
  const kept = applyTopP(row, settings.topP, scratch.idx, scratch.keep, scratch.mass);
  if (Math.abs(settings.temperature) < GREEDY_TEMPERATURE_EPS) {
    return { token: argmax(row), prob: 1 };
  }
  if (kept > 0) return sampleKept(row, scratch.idx.subarray(0, kept), settings.temperature, rng, scratch.probs);
  const probs = softmaxInto(row, scratch.probs, settings.temperature);
  const token = multinomial(probs, rng);
  return { token, prob: probs[token] as number };
}

/**
 * softmaxInto + multinomial over the tokens top-p kept (ascending indices), the
 * others being -Infinity. The same operations in the same order as the dense
 * path, which only adds zeros for the filtered tokens, so the draw is identical.
 */
function sampleKept(row: Float32Array, kept: Int32Array, temperature: number, rng: Rng, probs: Float32Array): SampledToken {
  let m = -Infinity;
  for (const i of kept) m = Math.max(m, row[i] as number);
  let sum = 0;
  for (const i of kept) {
    const e = Math.exp(((row[i] as number) - m) / temperature);
    probs[i] = e;
    sum += e;
  }
  const inv = 1 / sum;
  let total = 0;
  for (const i of kept) {
    probs[i] = (probs[i] as number) * inv;
    total += probs[i] as number; // the stored float32, as the dense path sums it
  }
  const target = rng.nextFloat() * total;
  let cum = 0;
  let last = -1;
  for (const i of kept) {
    const p = probs[i] as number;
    if (p <= 0) continue;
    last = i;
    cum += p;
    if (cum > target) return { token: i, prob: p };
  }
  const token = last < 0 ? (kept[0] as number) : last;
  return { token, prob: probs[token] as number };
}

/** Inverse-CDF draw from a normalised probability row. */
export function multinomial(probs: Float32Array, rng: Rng): number {
  const u = rng.nextFloat();
  let total = 0;
  for (let i = 0; i < probs.length; i++) total += probs[i] as number;
  const target = u * total;
  let cum = 0;
  let last = -1;
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i] as number;
    if (p <= 0) continue;
    last = i;
    cum += p;
    if (cum > target) return i;
  }
  return last < 0 ? 0 : last; // rounding left u past the end: take the last non-zero
}
