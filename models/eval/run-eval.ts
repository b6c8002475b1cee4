/**
 * The held-out evaluation on a loaded engine model: reads the scene set, runs
 * every scene (in order, seed = scene position, as the recipe does) and
 * summarizes. I/O is limited to reading the scenes; the report is separate.
 */
import { availableParallelism } from 'node:os';
import type { EngineModel } from '../engine/generate';
import type { ProviderReport } from '../engine/runtime';
import { loadHeldoutScene, readHeldoutIndex, type HeldoutIndex } from './heldout';
import type { MetricKey } from './metric-table';
import { checkCompatible, evalModalities, evaluateScene } from './scene-eval';
import { mergeScores, summarize, type MetricSummary, type Scores } from './summary';

export interface EvalOptions {
  /** First n scenes of the set (default: all). */
  readonly n?: number;
  readonly onScene?: (done: number, total: number, scene: string, seconds: number) => void;
}

export interface SceneRecord {
  readonly name: string;
  readonly seed: number;
  readonly seconds: number;
  readonly scores: Scores;
  readonly caption: string;
}

export interface EvalRun {
  readonly modelId: string;
  readonly trainingSteps: number;
  readonly trainingSummary?: string | undefined;
  readonly scenesDir: string;
  readonly index: HeldoutIndex;
  readonly scenes: readonly SceneRecord[];
  readonly summary: Partial<Record<MetricKey, MetricSummary>>;
  readonly provider: ProviderReport;
  readonly cores: number;
  readonly seconds: number;
}

export async function runEvaluation(model: EngineModel, scenesDir: string, options: EvalOptions = {}): Promise<EvalRun> {
  const t0 = performance.now();
  const index = await readHeldoutIndex(scenesDir);
  checkCompatible(model, index);
  const n = options.n ?? index.scenes.length;
  if (!Number.isInteger(n) || n < 1 || n > index.scenes.length) throw new RangeError(`n = ${n}: the set has ${index.scenes.length} scenes`);
  const mods = evalModalities(model);
  const all: Scores = {};
  const scenes: SceneRecord[] = [];
  for (let i = 0; i < n; i++) {
    const name = index.scenes[i] as string;
    const ts = performance.now();
    const scene = await loadHeldoutScene(scenesDir, index, name);
    const { scores, caption } = await evaluateScene(model, mods, index, scene, i);
    const seconds = (performance.now() - ts) / 1000;
    scenes.push({ name, seed: scene.meta.seed, seconds, scores, caption });
    mergeScores(all, scores);
    options.onScene?.(i + 1, n, name, seconds);
  }
  return {
    modelId: model.manifest.id,
    trainingSteps: model.manifest.trainingSteps,
    trainingSummary: model.manifest.training?.summary,
    scenesDir,
    index,
    scenes,
    summary: summarize(all),
    provider: model.provider,
    cores: availableParallelism(),
    seconds: (performance.now() - t0) / 1000,
  };
}
