// What the panel and the undo list call a result put on the layers. Pure.
import type { GenerationRequest } from '../../../preload/contract/generation';

type LabelOf = (layerId: string) => string;

function seedOf(request: unknown): number | null {
  const seed = request && typeof request === 'object' ? (request as { seed?: unknown }).seed : undefined;
  return typeof seed === 'number' ? seed : null;
}

/** After Use on a gallery entry: which result is on the canvas now ("Using RGB (seed 1236) from the gallery"). */
export function usedText(entry: { readonly request: unknown; readonly outputs: Readonly<Record<string, unknown>> }, label: LabelOf): string {
  const seed = seedOf(entry.request);
  return `Using ${Object.keys(entry.outputs).map(label).join(', ')}${seed === null ? '' : ` (seed ${seed})`} from the gallery`;
}

/**
 * The undo step of an accepted result: a job that regenerated a region (a target also sent as
 * an input, its kept tokens) is "Regenerate region of RGB"; any other keeps the job's label.
 */
export function acceptStepLabel(jobLabel: string, request: unknown, label: LabelOf): string {
  const r = (request && typeof request === 'object' ? request : {}) as Partial<Pick<GenerationRequest, 'inputs' | 'targets'>>;
  const inputs = r.inputs && typeof r.inputs === 'object' ? r.inputs : {};
  const targets = Array.isArray(r.targets) ? r.targets : [];
  const regions = targets.map((t) => t?.modality).filter((id): id is string => typeof id === 'string' && Object.hasOwn(inputs, id));
  return regions.length ? `Regenerate region of ${regions.map(label).join(', ')}` : jobLabel;
}
