/** Shared loading of the shipped default model for engine tests (real graphs, real ORT). */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { GenerationRequest, TargetRequest } from '../../../../preload/contract/generation';
import { loadEngineModel, type EngineModel } from '../../../../models/engine/generate';

export const MODEL_DIR = join(__dirname, '../../../../models/zoo/world-4m-small');

export function trainingSteps(): number {
  return (JSON.parse(readFileSync(join(MODEL_DIR, 'manifest.json'), 'utf8')) as { trainingSteps: number }).trainingSteps;
}

/**
 * Whether the recipe's held-out evaluation found the package at its quality targets
 * (manifest.evaluation, written with EVAL.md). Quality-bar content tests need it.
 */
/**
 * Whether the package's recorded evaluation (`npm run eval -- --record`) says it
 * meets the target of one metric: each quality-bar test runs once its own
 * metric is met, so a model that is good at depth is held to it before it is
 * good at captions.
 */
export function meetsQualityTarget(metric: string): boolean {
  const manifest = JSON.parse(readFileSync(join(MODEL_DIR, 'manifest.json'), 'utf8')) as { evaluation?: { passed?: Record<string, boolean> } };
  return manifest.evaluation?.passed?.[metric] === true;
}

export const belowTargetReason = (metric: string): string =>
  `manifest.evaluation.passed.${metric} is not true: the shipped weights do not meet this metric's quality target yet (numbers in models/zoo/world-4m-small/EVAL.md)`;

/** Content checks need trained weights; the dev package ships untrained ones. */
export const UNTRAINED_REASON = 'manifest.trainingSteps === 0: the development package has untrained weights, so outputs are noise';

let shared: Promise<EngineModel> | undefined;
export function sharedModel(): Promise<EngineModel> {
  // Hashes are checked by the registry tests; here only sizes, to keep runs short.
  shared ??= loadEngineModel(MODEL_DIR, { verifyHashes: false });
  return shared;
}

export function target(modality: string, scheme: TargetRequest['scheme'], steps: number, extra: Partial<TargetRequest> = {}): TargetRequest {
  return { modality, scheme, steps, tokenSchedule: 'linear', temperature: 1, temperatureSchedule: 'constant', cfgScale: 2, topK: 0, topP: 0.8, ...extra };
}

export function request(inputs: GenerationRequest['inputs'], targets: TargetRequest[], seed = 7): GenerationRequest {
  return { version: 1, modelId: 'world-4m-small', seed, inputs, targets, cfgGrowConditioning: true };
}

/** A deterministic pseudo-random token grid. */
export function tokenGrid(vocab: number, salt = 1): number[] {
  return Array.from({ length: 256 }, (_, i) => (i * 2654435761 + salt * 40503) % vocab);
}
