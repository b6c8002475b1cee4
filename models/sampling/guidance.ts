/**
 * Classifier-free guidance: which passes to run and how to mix their logits.
 * Guidance lives in the sampling loop; the model only returns raw logits.
 */
import type { GenerationState, ModalityState, SequenceVocab } from './state';
import { withoutConditions } from './state';

/** How one step is guided. */
export type GuidanceSpec =
  | { readonly kind: 'none' }
  /** l = l_u + scale·(l_c − l_u), the listed conditions emptied in the uncond pass. */
  | { readonly kind: 'single'; readonly scale: number; readonly conditions: readonly string[] }
  /** l = l_u + Σ w_i·(l_ci − l_u); pass i sees only condition i of the set. Weights may be negative or < 1. */
  | { readonly kind: 'multi'; readonly weights: ReadonlyArray<{ readonly condition: string; readonly weight: number }> };

/**
 * The states to query, in batch order: [cond…, uncond]. For 'none' there is one
 * state. Every state keeps the (partially decoded) target visible.
 */
export function guidanceStates(
  state: GenerationState,
  guidance: GuidanceSpec,
  vocab: SequenceVocab | undefined,
): GenerationState[] {
  if (guidance.kind === 'none') return [state];
  if (guidance.kind === 'single') return [state, withoutConditions(state, guidance.conditions, vocab)];
  const all = guidance.weights.map((w) => w.condition);
  const conds: Record<string, ModalityState>[] = guidance.weights.map((w) =>
    withoutConditions(state, all.filter((c) => c !== w.condition), vocab),
  );
  return [...conds, withoutConditions(state, all, vocab)];
}

/** Mixes logits returned for `guidanceStates` (same order) into one array. */
export function combineGuidance(guidance: GuidanceSpec, logits: readonly Float32Array[]): Float32Array {
  const first = logits[0];
  if (!first) throw new Error('no logits to combine');
  if (guidance.kind === 'none') return first;
  if (guidance.kind === 'single') return cfgCombine(first, need(logits[1]), guidance.scale);
  const n = guidance.weights.length;
  return multiCfgCombine(logits.slice(0, n), need(logits[n]), guidance.weights.map((w) => w.weight));
}

/** l_u + s·(l_c − l_u), element-wise, into a new array. */
export function cfgCombine(cond: Float32Array, uncond: Float32Array, scale: number): Float32Array {
  sameLength(cond, uncond);
  const out = new Float32Array(cond.length);
  for (let i = 0; i < out.length; i++) {
    const u = uncond[i] as number;
    out[i] = u + scale * ((cond[i] as number) - u);
  }
  return out;
}

/** l_u + Σ w_i·(l_ci − l_u), element-wise, into a new array. */
export function multiCfgCombine(
  conds: readonly Float32Array[],
  uncond: Float32Array,
  weights: readonly number[],
): Float32Array {
  if (conds.length !== weights.length) throw new Error(`${conds.length} conditions but ${weights.length} weights`);
  const out = Float32Array.from(uncond);
  conds.forEach((c, k) => {
    sameLength(c, uncond);
    const w = weights[k] as number;
    for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + w * ((c[i] as number) - (uncond[i] as number));
  });
  return out;
}

function need(x: Float32Array | undefined): Float32Array {
  if (!x) throw new Error('model returned fewer logit arrays than guidance passes');
  return x;
}

function sameLength(a: Float32Array, b: Float32Array): void {
  if (a.length !== b.length) throw new Error(`logit arrays differ in length: ${a.length} vs ${b.length}`);
}
