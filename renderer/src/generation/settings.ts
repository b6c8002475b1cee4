// The generation panel's settings, and defaults per layer kind.
import { isSamInstanceLayer, SAM_INSTANCE_LAYER } from '../../../preload/contract/sam-instance';
import { PICTURE_SAMPLING, PREDICTION_SAMPLING, sequenceTemperature, type ImageSampling, type PictureSource } from '../../../preload/contract/sampling-defaults';
import type { LayerKind } from '../document';
import { MAX_NEIGHBOUR_AGREEMENT } from '../../../preload/contract/generation';
import { REFERENCE_SAMPLING } from '../../../preload/contract/reference';

export type Scheme = 'maskgit' | 'roar' | 'autoregressive';

export interface TargetSettings {
  readonly modality: string;
  readonly scheme: Scheme;
  readonly steps: number;
  /** Per-target overrides of the shared sampling settings (undefined = use the shared value). */
  readonly temperature?: number | undefined;
  readonly cfgScale?: number | undefined;
  readonly topP?: number | undefined;
  /**
   * Image targets: 'expected-code' takes each token at the model's expected code ("Faithful":
   * deterministic, smooth fills for repairs); undefined or 'sample' samples (the default).
   */
  readonly tokenChoice?: TokenChoice | undefined;
}

export type TokenChoice = 'sample' | 'expected-code';

export const TARGET_OVERRIDES = ['temperature', 'cfgScale', 'topP'] as const;
export type TargetOverride = (typeof TARGET_OVERRIDES)[number];

/** Overrides of `t` that differ from `shared` (what recalling a request must restore per target). */
export function overridesAgainst(t: Pick<SamplingSettings, TargetOverride>, shared: Pick<SamplingSettings, TargetOverride>): Partial<Pick<TargetSettings, TargetOverride>> {
  const out: Partial<Record<TargetOverride, number>> = {};
  for (const key of TARGET_OVERRIDES) if (t[key] !== shared[key]) out[key] = t[key];
  return out;
}

export function hasOverrides(t: TargetSettings): boolean {
  return TARGET_OVERRIDES.some((key) => t[key] !== undefined);
}

export interface SamplingSettings {
  temperature: number;
  temperatureSchedule: 'constant' | 'linear' | 'onex:0.5:1';
  tokenSchedule: 'cosine' | 'linear';
  cfgScale: number;
  topK: number;
  topP: number;
  /** Neighbour agreement for sampled image targets (0 = the model alone; FSQ tokenizers only). */
  neighbourAgreement: number;
  seed: number;
  randomSeed: boolean;
  variations: number;
  /** Guidance weight per condition layer (1 = plain guidance); sent only when one differs. */
  conditionWeights: Record<string, number>;
  /** Each target from the conditions alone (false: a chain, each result conditioning the next). */
  independentTargets: boolean;
}

/**
 * The shared settings start at the measured default for pictures from a layout
 * (preload/contract/sampling-defaults: the same table `4m generate` and `npm run eval` use);
 * a task preset switches them to its source's (see samplingFor).
 */
const LAYOUT = PICTURE_SAMPLING.layout;
export const DEFAULT_SAMPLING: SamplingSettings = {
  temperature: LAYOUT.temperature,
  temperatureSchedule: asPanelSchedule(LAYOUT.temperatureSchedule),
  tokenSchedule: LAYOUT.tokenSchedule,
  cfgScale: LAYOUT.cfgScale,
  topK: LAYOUT.topK,
  topP: LAYOUT.topP,
  neighbourAgreement: LAYOUT.neighbourAgreement ?? 0,
  seed: 1234,
  randomSeed: false,
  variations: 1,
  conditionWeights: {},
  independentTargets: false,
};

/** The panel offers constant, linear and one 'onex' curve; any other onex maps to that one. */
function asPanelSchedule(s: ImageSampling['temperatureSchedule']): SamplingSettings['temperatureSchedule'] {
  return s === 'constant' || s === 'linear' ? s : 'onex:0.5:1';
}

/** A picture source's measured scheme and steps for image targets, and its shared settings. */
export function samplingFor(source: PictureSource, sampling: SamplingSettings): { scheme: Scheme; steps: number; sampling: SamplingSettings } {
  const d = PICTURE_SAMPLING[source];
  return {
    scheme: d.scheme,
    steps: d.steps,
    sampling: { ...sampling, temperature: d.temperature, temperatureSchedule: asPanelSchedule(d.temperatureSchedule), tokenSchedule: d.tokenSchedule, cfgScale: d.cfgScale, topK: d.topK, topP: d.topP, neighbourAgreement: d.neighbourAgreement ?? 0 },
  };
}

/** Image modalities decode in parallel (the layout default's scheme); sequences are autoregressive only. */
export function defaultTarget(modality: string, kind: LayerKind): TargetSettings {
  if (kind === 'reference') return referenceTarget(modality);
  if (isSamInstanceLayer(modality)) return samTarget(modality);
  const isImage = kind === 'image' || kind === 'segmentation';
  return { modality, scheme: isImage ? LAYOUT.scheme : 'autoregressive', steps: isImage ? LAYOUT.steps : 1 };
}

/**
 * "Derive all from RGB" predicts rather than imagines: 4M's RGB→X recipe, one ROAR step at
 * temperature 0.01 with guidance 2 for image layers, a low-temperature autoregressive pass
 * for text (the same recipe as `4m predict`). Each layer comes from the picture alone.
 */
export function predictionTarget(modality: string, kind: LayerKind): TargetSettings {
  if (kind === 'reference') return referenceTarget(modality);
  if (isSamInstanceLayer(modality)) return samTarget(modality);
  const p = PREDICTION_SAMPLING;
  if (kind === 'image' || kind === 'segmentation') return { modality, scheme: p.scheme, steps: p.steps, temperature: p.temperature, cfgScale: p.cfgScale, topP: p.topP };
  const temperature = sequenceTemperature(kind === 'text' ? (modality === 'metadata' ? modality : 'caption') : kind === 'boxes' ? 'det' : kind);
  return { modality, scheme: 'autoregressive', steps: 1, temperature, cfgScale: 1, topP: 0.8 };
}

/**
 * A picture reference as a target (16 global tokens, from RGB or from words): 4M's own recipe for
 * these modalities, one ROAR step at temperature 0.1 (preload/contract/reference.ts).
 */
function referenceTarget(modality: string): TargetSettings {
  const r = REFERENCE_SAMPLING;
  return { modality, scheme: r.scheme, steps: r.steps, temperature: r.temperature, cfgScale: r.cfgScale, topP: r.topP };
}

/**
 * The Objects (SAM) layer: a picture in the document but a sequence to the model (4M-21's
 * sam_instance), so written autoregressively at 4M's notebook temperature, without guidance.
 */
function samTarget(modality: string): TargetSettings {
  return { modality, scheme: 'autoregressive', steps: 1, temperature: sequenceTemperature(SAM_INSTANCE_LAYER), cfgScale: 1, topP: 0.8 };
}

/** Shared settings for a prediction: one step needs no schedule. */
export function predictionSampling(s: SamplingSettings): SamplingSettings {
  return { ...s, temperatureSchedule: 'constant', tokenSchedule: 'linear', topK: 0, neighbourAgreement: 0, variations: 1, independentTargets: true };
}

export function schemesFor(kind: LayerKind, modality = ''): readonly Scheme[] {
  if (isSamInstanceLayer(modality)) return ['autoregressive'];
  return kind === 'image' || kind === 'segmentation' || kind === 'reference' ? ['maskgit', 'roar'] : ['autoregressive'];
}

/** What a typed value may be, per field (the fields' min/max do not stop typing). */
export const LIMITS = {
  steps: { min: 1, max: 256, integer: true },
  temperature: { min: 0, max: 5, integer: false },
  cfgScale: { min: 0, max: 20, integer: false },
  conditionWeight: { min: -5, max: 5, integer: false },
  topP: { min: 0, max: 1, integer: false },
  topK: { min: 0, max: 1000, integer: true },
  neighbourAgreement: { min: 0, max: MAX_NEIGHBOUR_AGREEMENT, integer: false },
  variations: { min: 1, max: 8, integer: true },
  seed: { min: 0, max: 2 ** 31 - 1, integer: true },
} as const;

export type LimitedField = keyof typeof LIMITS;

/** A typed value brought into the field's range (rounded where it counts); junk gives `fallback`. */
export function clampField(field: LimitedField, raw: string | number, fallback: number): number {
  const v = typeof raw === 'number' ? raw : raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(v)) return fallback;
  const { min, max, integer } = LIMITS[field];
  const inRange = Math.min(max, Math.max(min, v));
  return integer ? Math.round(inRange) : inRange;
}

export type Quality = 'fast' | 'balanced' | 'best';

export interface QualityPreset {
  readonly id: Quality;
  readonly label: string;
  /** Multiplies each image target's measured default steps (MaskGIT and ROAR have their own). */
  readonly stepsFactor: number;
  readonly help: string;
}

/**
 * Quality presets over the measured defaults (Balanced: the source's own scheme and steps, ROAR 16
 * for both sources on the shipped weights; the temperature cools in all three). Decoding time grows
 * with the steps, so Fast is about half of Balanced and Best about twice; the evaluation's
 * sweep (recipe README, "Sampling defaults") measured what each buys.
 */
export const QUALITY_PRESETS: readonly QualityPreset[] = [
  { id: 'fast', label: 'Fast', stepsFactor: 0.5, help: 'Half the steps of Balanced: about half the time, rougher' },
  { id: 'balanced', label: 'Balanced', stepsFactor: 1, help: 'The measured default steps for what the picture is made from (under a second on two CPU cores)' },
  { id: 'best', label: 'Best', stepsFactor: 2, help: 'Twice the steps of Balanced: about twice the time' },
];

/** The measured default steps of a parallel scheme (the source that uses it). */
export function defaultStepsFor(scheme: Scheme): number {
  const d = Object.values(PICTURE_SAMPLING).find((x) => x.scheme === scheme);
  return d?.steps ?? LAYOUT.steps;
}

function stepsAt(scheme: Scheme, q: QualityPreset): number {
  return Math.max(1, Math.round(defaultStepsFor(scheme) * q.stepsFactor));
}

/** The chain with `quality`'s steps on every parallel (image) target. */
export function applyQuality(chain: readonly TargetSettings[], sampling: SamplingSettings, quality: Quality): { chain: TargetSettings[]; sampling: SamplingSettings } {
  const q = QUALITY_PRESETS.find((p) => p.id === quality) ?? QUALITY_PRESETS[1];
  if (!q) return { chain: [...chain], sampling };
  return {
    chain: chain.map((t) => (t.scheme === 'autoregressive' ? t : { ...t, steps: stepsAt(t.scheme, q) })),
    sampling: { ...sampling, temperatureSchedule: asPanelSchedule(LAYOUT.temperatureSchedule) },
  };
}

/**
 * The preset the settings amount to for `targets`, or null when they are the artist's own.
 * With no image target there are no steps to judge: Balanced, the measured defaults (every
 * preset used to match vacuously, so a fresh document read "Fast" until a task was picked).
 */
export function qualityOf(targets: readonly TargetSettings[], sampling: SamplingSettings): Quality | null {
  const image = targets.filter((t) => t.scheme !== 'autoregressive');
  if (sampling.temperatureSchedule !== asPanelSchedule(LAYOUT.temperatureSchedule)) return null;
  if (image.length === 0) return 'balanced';
  const found = QUALITY_PRESETS.find((q) => image.every((t) => t.steps === stepsAt(t.scheme, q)));
  return found?.id ?? null;
}
