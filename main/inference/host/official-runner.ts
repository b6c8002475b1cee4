import type { GeneratedModality, GenerationVariation } from '../../../preload/contract/generation-jobs';
import { generateOfficial, type OfficialModel } from '../../../models/engine/generate/official-model';
import { withLayerNames } from '../../../models/engine/generate/official-layout';
import { toOfficialRequest } from '../../../models/engine/generate/official-request';
import type { RgbaImage } from '../../../models/tokenizers/image';
import { wireImage, wireSequence, type GenerateRunner } from './generate-runner';
import { JobCancelledError } from './runner';

/**
 * Runs 'generate' jobs on an official 4M model folder (engine/generate/official-model.ts): the
 * editor's layer ids become FM modalities (official-request.ts), variations run one after the
 * other (generateOfficial runs one seed), each step is reported as progress over the whole job,
 * and results come back under the layer ids in the document's conventions. A result without a
 * picture or text (a tokenizer that cannot decode yet) is an error naming the layer, not a blank.
 */
export function officialRunner(currentModel: () => Promise<OfficialModel>): GenerateRunner {
  return async (job, context) => {
    const model = await currentModel();
    const { requests, layerOf } = toOfficialRequest(job.request, model.fm.table);
    const resolvePixels = async (ref: string): Promise<RgbaImage> => {
      const raster = job.images[ref];
      if (!raster) throw new Error(`inputs: no pixels were sent for "${ref}"`);
      return { width: raster.width, height: raster.height, data: new Uint8Array(Buffer.from(raster.rgba, 'base64')) };
    };
    const variations: GenerationVariation[] = [];
    for (const [v, request] of requests.entries()) {
      const steps = new StepCount(request.targets.map((t) => ({ modality: t.modality, steps: t.scheme === 'autoregressive' ? (t.maxTokens ?? model.fm.modality(t.modality).maxTokens) : t.steps })));
      let result;
      try {
        result = await generateOfficial(model, request, {
          resolvePixels,
          signal: context.signal,
          onStep: (e) => context.progress(v, ...steps.at(e.target, e.step, e.totalSteps)),
        });
      } catch (error) {
        if (context.signal.aborted) throw new JobCancelledError('Generation was cancelled');
        if (error instanceof Error) error.message = withLayerNames(error.message);
        throw error;
      }
      const outputs: Record<string, GeneratedModality> = {};
      for (const [name, out] of Object.entries(result.outputs)) {
        const layer = layerOf.get(name) ?? name;
        const tokens = Array.from(out.tokens);
        if (out.image) outputs[layer] = { kind: 'image', tokens, ...wireImage(out.image) };
        else if (out.text !== undefined) outputs[layer] = wireSequence(tokens, out.text, out.boxes, out.palette);
        else throw new Error(`${layer}: the model produced tokens but cannot turn them into ${model.fm.modality(name).kind === 'sequence' ? 'text (no WordPiece file in the model folder)' : 'a picture'}`);
      }
      variations.push({ seed: result.seed, outputs });
    }
    return variations;
  };
}

/**
 * Steps done and total over a chain of targets: each target's own step count as the sampler
 * reports it (an autoregressive caption may stop early at [EOS]; its planned length counts).
 */
export class StepCount {
  constructor(private readonly targets: readonly { modality: string; steps: number }[]) {}

  at(target: string, step: number, totalSteps: number): [done: number, total: number] {
    const i = this.targets.findIndex((t) => t.modality === target);
    let before = 0;
    for (let k = 0; k < Math.max(0, i); k++) before += this.targets[k]?.steps ?? 0;
    let total = 0;
    this.targets.forEach((t, k) => (total += k === i ? totalSteps : t.steps));
    return [Math.min(before + step, Math.max(1, total)), Math.max(1, total)];
  }
}
