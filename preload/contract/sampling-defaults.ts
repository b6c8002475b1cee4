import type { TargetRequest } from './generation';

/**
 * The sampling settings a person gets without touching Advanced: one table read by the editor,
 * `4m generate`, `npm run eval` and `npm run bench`, so the evaluation measures what users get.
 * The values are chosen on the evaluation's independent judge (models/recipe/README.md,
 * "Sampling defaults", has the sweep); change them only with a new sweep.
 */

/** What a generated picture is made from decides how it is best sampled. */
export type PictureSource = 'layout' | 'words';

/** Every field of a target request except which modality it is for. */
export type ImageSampling = Pick<TargetRequest, 'scheme' | 'steps' | 'tokenSchedule' | 'temperature' | 'temperatureSchedule' | 'cfgScale' | 'topK' | 'topP' | 'tokenChoice' | 'neighbourAgreement'>;

export const PICTURE_SAMPLING: Readonly<Record<PictureSource, ImageSampling>> = {
  /**
   * From a layout (segmentation, depth, edges, boxes): ROAR, 16 steps, the temperature cooling step
   * by step (4M's recipe for RGB). On the step-8965 weights it beat MaskGIT 8 on every row the
   * judge reads (24 held-out scenes: layout mIoU 0.378 vs 0.346, sky/ground coherence 0.795 vs
   * 0.765, Fréchet 0.27 vs 0.40, boxes 17 % vs 10 %); on the older step-6958 weights MaskGIT had led.
   * Smoothing 1 (neighbour agreement, models/core/neighbour-prior.ts) on all 50 held-out scenes, two
   * seed sets: layout mIoU 0.354 → 0.391 and 0.342 → 0.394, coherence inside objects 0.641 → 0.732
   * and 0.641 → 0.753 (real 0.762), Fréchet 0.18 → 0.14 and 0.20 → 0.14; 2 and more flatten objects
   * past the real pictures' coherence and lose layout (0.369 at 2, 0.349 at 4).
   */
  layout: { scheme: 'roar', steps: 16, tokenSchedule: 'cosine', temperature: 1, temperatureSchedule: 'linear', cfgScale: 3, topK: 0, topP: 0.9, neighbourAgreement: 1 },
  /**
   * From words (a caption): ROAR's random order keeps the named objects; MaskGIT lets them fade
   * into the most confident token, the background. No smoothing: with no layout to hold them, the
   * few object tokens side with the background around them (named objects drawn 16.3 → 13.2 % and
   * 14.0 → 10.9 % at smoothing 1, two seed sets).
   */
  words: { scheme: 'roar', steps: 16, tokenSchedule: 'cosine', temperature: 1, temperatureSchedule: 'linear', cfgScale: 3, topK: 0, topP: 0.9, neighbourAgreement: 0 },
};

/**
 * Reading a picture (RGB → depth, normals, segmentation, edges): 4M's recipe, one ROAR step
 * near argmax with mild guidance. A prediction, not an imagination.
 */
export const PREDICTION_SAMPLING: ImageSampling = { scheme: 'roar', steps: 1, tokenSchedule: 'linear', temperature: 0.01, temperatureSchedule: 'constant', cfgScale: 2, topK: 0, topP: 0.8 };

/**
 * Temperatures of autoregressive targets by domain: captions a little varied, boxes more, the rest
 * near greedy; SAM instances at 4M's notebook setting (0.01: the mask tokens of a point are a reading).
 */
export function sequenceTemperature(domain: string): number {
  return domain === 'caption' ? 0.3 : domain === 'det' ? 0.7 : domain === 'sam_instance' ? 0.01 : 0.1;
}

/** Which source a set of condition domains amounts to: any image condition makes it a layout. */
export function pictureSourceOf(conditionDomains: readonly string[]): PictureSource {
  const words = ['caption', 't5_caption', 'metadata', 'color_palette', 'palette'];
  return conditionDomains.some((d) => !words.includes(d)) || conditionDomains.length === 0 ? 'layout' : 'words';
}

/** A picture target with the measured defaults for `source`, and any field overridden. */
export function pictureTarget(modality: string, source: PictureSource, overrides: Partial<ImageSampling> = {}): TargetRequest {
  return { modality, ...PICTURE_SAMPLING[source], ...overrides };
}

const SCHEME_NAMES: Record<TargetRequest['scheme'], string> = { maskgit: 'MaskGIT', roar: 'ROAR', autoregressive: 'autoregressive' };

/** "MaskGIT 8 steps (cosine), T 1 cooling linearly, top-p 0.9, guidance 3": for reports and help texts. */
export function describeImageSampling(s: ImageSampling): string {
  const steps = `${SCHEME_NAMES[s.scheme]} ${s.steps} step${s.steps === 1 ? '' : 's'} (${s.tokenSchedule})`;
  if (s.tokenChoice === 'expected-code') return [steps, 'each token at the expected code', `guidance ${s.cfgScale}`].join(', ');
  const temp = s.temperatureSchedule === 'constant' ? `T ${s.temperature}` : s.temperatureSchedule === 'linear' ? `T ${s.temperature} cooling linearly` : `T ${s.temperature} (${s.temperatureSchedule})`;
  const filters = [s.topK > 0 ? `top-k ${s.topK}` : '', s.topP > 0 ? `top-p ${s.topP}` : '', s.neighbourAgreement ? `smoothing ${s.neighbourAgreement}` : ''].filter(Boolean);
  return [steps, temp, ...filters, `guidance ${s.cfgScale}`].join(', ');
}
