/**
 * The held-out evaluation on a loaded engine model and the judge: reads the scene set, runs every
 * scene (in order, seed = scene position, as the recipe does), summarizes, and adds the set-level
 * Fréchet distances. I/O is limited to reading the scenes; the report and grids are separate.
 */
import { availableParallelism } from 'node:os';
import type { ImageSampling } from '../../preload/contract/sampling-defaults';
import type { EngineModel } from '../engine/generate';
import type { ProviderReport } from '../engine/runtime';
import { loadHeldoutScene, readHeldoutIndex, type HeldoutIndex } from './heldout';
import type { MetricKey } from './metric-table';
import type { Judge } from './judge';
import { frechetDistance, gaussianOf } from './metrics';
import { checkCompatible, evalModalities, evaluateScene, type ScenePictures } from './scene-eval';
import { mergeScores, summarize, type MetricSummary, type Scores } from './summary';

export interface EvalOptions {
  /** First n scenes of the set (default: all). */
  readonly n?: number;
  /** Keep the pictures of the first `pictures` scenes for the grids (default 0). */
  readonly pictures?: number;
  readonly onScene?: (done: number, total: number, scene: string, seconds: number) => void;
  /** Overrides of the picture rows' default sampling, for a sweep (default: the product's defaults). */
  readonly sampling?: Partial<ImageSampling>;
}

export interface SceneRecord {
  readonly name: string;
  readonly seed: number;
  readonly seconds: number;
  readonly scores: Scores;
  readonly caption: string;
  readonly pictures?: ScenePictures | undefined;
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
  /** What the judge is (its held-out scores and training), for the report. */
  readonly judge: Judge['info'];
  readonly cores: number;
  readonly seconds: number;
  /** The sweep's overrides, if any (the report names the settings each picture row used). */
  readonly sampling: Partial<ImageSampling>;
}

export async function runEvaluation(model: EngineModel, judge: Judge, scenesDir: string, options: EvalOptions = {}): Promise<EvalRun> {
  const t0 = performance.now();
  const index = await readHeldoutIndex(scenesDir);
  checkCompatible(model, index, judge);
  const n = options.n ?? index.scenes.length;
  if (!Number.isInteger(n) || n < 1 || n > index.scenes.length) throw new RangeError(`n = ${n}: the set has ${index.scenes.length} scenes`);
  const mods = evalModalities(model);
  const all: Scores = {};
  const scenes: SceneRecord[] = [];
  const features = { real: [] as Float32Array[], sem2rgb: [] as Float32Array[], cap2rgb: [] as Float32Array[] };
  for (let i = 0; i < n; i++) {
    const name = index.scenes[i] as string;
    const ts = performance.now();
    const scene = await loadHeldoutScene(scenesDir, index, name);
    const out = await evaluateScene(model, judge, mods, index, scene, i, i < (options.pictures ?? 0), options.sampling ?? {});
    const seconds = (performance.now() - ts) / 1000;
    scenes.push({ name, seed: scene.meta.seed, seconds, scores: out.scores, caption: out.caption, pictures: out.pictures });
    for (const k of ['real', 'sem2rgb', 'cap2rgb'] as const) features[k].push(out.features[k]);
    mergeScores(all, out.scores);
    options.onScene?.(i + 1, n, name, seconds);
  }
  // Set-level: each set of n pictures against the judge's reference Gaussian of other real pictures;
  // the real pictures' own distance (same n, so the same small-sample bias) is the floor.
  const summary = summarize(all);
  if (n >= 2) {
    const ref = judge.reference;
    const fd = (f: Float32Array[]): MetricSummary => ({ mean: frechetDistance(gaussianOf(f), ref), stdErr: Number.NaN, count: f.length });
    summary.real_fd = fd(features.real);
    summary.sem2rgb_fd = fd(features.sem2rgb);
    summary.cap2rgb_fd = fd(features.cap2rgb);
  }
  return {
    modelId: model.manifest.id,
    trainingSteps: model.manifest.trainingSteps,
    trainingSummary: model.manifest.training?.summary,
    scenesDir,
    index,
    scenes,
    summary,
    provider: model.provider,
    judge: judge.info,
    cores: availableParallelism(),
    seconds: (performance.now() - t0) / 1000,
    sampling: options.sampling ?? {},
  };
}
