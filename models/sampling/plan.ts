/**
 * Flat step list for a chain of targets, like the reference's
 * build_chained_generation_schedules (§3.2).
 */
import type { GuidanceSpec } from './guidance';
import type { TemperatureScheduleSpec, TokenScheduleKind } from './schedules';
import { linearSchedule, temperatureSchedule, tokenSchedule } from './schedules';

export type Scheme = 'maskgit' | 'roar' | 'autoregressive';

export interface TargetSettings {
  readonly modality: string;
  readonly scheme: Scheme;
  /** Ignored for autoregressive targets. */
  readonly steps: number;
  /** MaskGIT only; ROAR always uses 'linear' (as the reference). */
  readonly tokenSchedule: TokenScheduleKind;
  readonly temperature: number;
  /** Ignored for autoregressive targets, which use a constant temperature. */
  readonly temperatureSchedule: TemperatureScheduleSpec;
  readonly cfgScale: number;
  /** Per-condition weights → multi-condition guidance; missing conditions get cfgScale. */
  readonly cfgConditionWeights?: Readonly<Record<string, number>> | undefined;
  readonly topK: number;
  readonly topP: number;
  /**
   * Image targets of FSQ tokenizers: choose each token at the model's expected code (these levels)
   * instead of sampling (core/expected-code.ts); temperature, top-k and top-p are then unused.
   */
  readonly codeLevels?: readonly number[] | undefined;
  /** Sampled image targets of FSQ tokenizers: neighbour agreement (core/neighbour-prior.ts). */
  readonly neighbourPrior?: NeighbourPriorSpec | undefined;
}

export interface NeighbourPriorSpec {
  readonly levels: readonly number[];
  readonly strength: number;
}

export interface PlannedStep {
  readonly target: string;
  readonly scheme: Scheme;
  /** Tokens committed by this step; null for autoregressive. */
  readonly numTokens: number | null;
  /** 0-based index of this step within its target, and that target's step count. */
  readonly targetStep: number;
  readonly targetSteps: number;
  readonly temperature: number;
  readonly topK: number;
  readonly topP: number;
  readonly guidance: GuidanceSpec;
  /** Expected-code token choice with these FSQ levels (TargetSettings.codeLevels). */
  readonly codeLevels?: readonly number[] | undefined;
  readonly neighbourPrior?: NeighbourPriorSpec | undefined;
}

export interface ChainPlanInput {
  /** Modalities given as conditions (used for guidance). */
  readonly conditions: readonly string[];
  readonly targets: readonly TargetSettings[];
  /** Positions to generate per image target (for inpainting: the masked count). */
  readonly tokensPerTarget: Readonly<Record<string, number>>;
  /** After each image target, add it to the guidance conditions of later targets. */
  readonly cfgGrowConditioning: boolean;
  /**
   * Reference quirk (§3.2): even with growth on, autoregressive targets never
   * join the conditions. false (default) reproduces that; true lets them join.
   */
  readonly arTargetsJoinConditioning?: boolean;
  /** Each target from the given conditions alone: nothing joins them (see runChain). */
  readonly independentTargets?: boolean;
}

export function buildChainSchedule(input: ChainPlanInput): PlannedStep[] {
  const conditions = [...input.conditions];
  const grow = input.cfgGrowConditioning && !input.independentTargets;
  const steps: PlannedStep[] = [];
  for (const t of input.targets) {
    const guidance = guidanceFor(t, conditions);
    const base = { target: t.modality, scheme: t.scheme, topK: t.topK, topP: t.topP, guidance, ...(t.codeLevels ? { codeLevels: t.codeLevels } : {}), ...(t.neighbourPrior ? { neighbourPrior: t.neighbourPrior } : {}) };
    if (t.scheme === 'autoregressive') {
      steps.push({ ...base, numTokens: null, targetStep: 0, targetSteps: 1, temperature: t.temperature });
      if (grow && input.arTargetsJoinConditioning) conditions.push(t.modality);
      continue;
    }
    const n = Object.hasOwn(input.tokensPerTarget, t.modality) ? input.tokensPerTarget[t.modality] : undefined;
    if (n === undefined) throw new Error(`no token count for target '${t.modality}'`);
    const tokens = t.scheme === 'roar' ? linearSchedule(t.steps, n) : tokenSchedule(t.tokenSchedule, t.steps, n);
    const temps = temperatureSchedule(t.temperatureSchedule, t.temperature, tokens);
    tokens.forEach((k, i) => {
      steps.push({ ...base, numTokens: k, targetStep: i, targetSteps: tokens.length, temperature: temps[i] as number });
    });
    if (grow) conditions.push(t.modality);
  }
  return steps;
}

/** Guidance for a target given the conditions known when it starts. */
export function guidanceFor(t: TargetSettings, conditions: readonly string[]): GuidanceSpec {
  const conds = conditions.filter((c) => c !== t.modality);
  if (conds.length === 0) return { kind: 'none' };
  if (t.cfgConditionWeights) {
    const w = t.cfgConditionWeights;
    return { kind: 'multi', weights: conds.map((c) => ({ condition: c, weight: w[c] ?? t.cfgScale })) };
  }
  if (t.cfgScale === 1) return { kind: 'none' };
  return { kind: 'single', scale: t.cfgScale, conditions: conds };
}

/**
 * Token counts for image targets read from the initial state (pending
 * positions), so schedules sum exactly to what is masked, e.g. when inpainting.
 */
export function tokensPerTargetFromState(
  state: Readonly<Record<string, { readonly kind: string; readonly targetMask: Uint8Array }>>,
  targets: readonly TargetSettings[],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of targets) {
    // Own keys only: a target named like an Object property ('constructor') is not in the state.
    const m = Object.hasOwn(state, t.modality) ? state[t.modality] : undefined;
    if (!m) throw new Error(`target '${t.modality}' is not in the generation state`);
    let n = 0;
    for (let i = 0; i < m.targetMask.length; i++) if (m.targetMask[i] === 0) n++;
    out[t.modality] = n;
  }
  return out;
}
