// What the panel and the undo list call a result put on the layers. Pure.
import type { GenerationRequest } from '../../../preload/contract/generation';

type LabelOf = (layerId: string) => string;

function seedOf(request: unknown): number | null {
  const seed = request && typeof request === 'object' ? (request as { seed?: unknown }).seed : undefined;
  return typeof seed === 'number' ? seed : null;
}

type EntryLike = { readonly request: unknown; readonly outputs: Readonly<Record<string, unknown>> };

/** "RGB, Depth (seed 1236)": the layers a gallery entry holds and the seed that made them. */
function entryText(entry: EntryLike, label: LabelOf): string {
  const seed = seedOf(entry.request);
  return `${Object.keys(entry.outputs).map(label).join(', ')}${seed === null ? '' : ` (seed ${seed})`}`;
}

/** After Use on a gallery entry: which result is on the canvas now ("Using RGB (seed 1236) from the gallery"). */
export function usedText(entry: EntryLike, label: LabelOf): string {
  return `Using ${entryText(entry, label)} from the gallery`;
}

/** The undo step of Use on a gallery entry ("Use RGB (seed 1236) from the gallery"), so Undo names it. */
export function useStepLabel(entry: EntryLike, label: LabelOf): string {
  return `Use ${entryText(entry, label)} from the gallery`;
}

/** The targets a request regenerates a region of: each also sent as an input (its kept tokens). */
function regionTargets(request: unknown): string[] {
  const r = (request && typeof request === 'object' ? request : {}) as Partial<Pick<GenerationRequest, 'inputs' | 'targets'>>;
  const inputs = r.inputs && typeof r.inputs === 'object' ? r.inputs : {};
  const targets = Array.isArray(r.targets) ? r.targets : [];
  return targets.map((t) => t?.modality).filter((id): id is string => typeof id === 'string' && Object.hasOwn(inputs, id));
}

/** The layers a request makes, in its order. */
function targetIds(request: unknown): string[] {
  const targets = request && typeof request === 'object' ? (request as { targets?: unknown }).targets : undefined;
  return Array.isArray(targets) ? targets.map((t: unknown) => (t && typeof t === 'object' ? (t as { modality?: unknown }).modality : undefined)).filter((id): id is string => typeof id === 'string') : [];
}

/**
 * The undo step of an accepted result, naming what it made and its seed as Use's step does: a job
 * that regenerated a region is "Regenerate region of RGB (seed 1235)", a Generate "Generate RGB
 * (seed 1234)" (it read "Undone: Generate" whichever of several results went), any other keeps
 * the job's label ("Derive all from RGB (seed 1234)").
 */
export function acceptStepLabel(jobLabel: string, request: unknown, label: LabelOf): string {
  const seed = seedOf(request);
  const withSeed = (text: string): string => (seed === null ? text : `${text} (seed ${seed})`);
  const regions = regionTargets(request);
  if (regions.length) return withSeed(`Regenerate region of ${regions.map(label).join(', ')}`);
  const targets = targetIds(request);
  return withSeed(jobLabel === 'Generate' && targets.length ? `Generate ${targets.map(label).join(', ')}` : jobLabel);
}

/**
 * What the staging strip calls a waiting result's job: "Redo region" (the button that made it)
 * for a region, where it said "Generate: RGB" as for a whole new picture; any other keeps its label.
 */
export function stagedJobName(jobLabel: string, request: unknown): string {
  return regionTargets(request).length ? 'Redo region' : jobLabel;
}
