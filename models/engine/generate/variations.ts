/**
 * Every variation of a request at once: the chains run side by side and their
 * image steps go to the FM as one batch (batching-step.ts). Each variation
 * samples with its own seed (request.seed + v), as when run alone; the logits
 * differ from a lone run only by float rounding in the larger batch.
 */
import type { GenerationRequest } from '../../../preload/contract/generation';
import { BatchingModelStep } from './batching-step';
import type { EngineModel } from './engine-model';
import { generate, type GenerateOptions, type GenerateResult, type StepPreview, type StepProgress } from './generate';

export interface VariationsOptions extends Omit<GenerateOptions, 'variation' | 'modelStep' | 'onStep' | 'onPreview'> {
  readonly onStep?: (variation: number, step: StepProgress) => void;
  readonly onPreview?: (variation: number, preview: StepPreview) => void;
  /** Which variations to decode previews for (default all). */
  readonly previewVariations?: (variation: number) => boolean;
}

export async function generateVariations(model: EngineModel, request: GenerationRequest, options: VariationsOptions = {}): Promise<GenerateResult[]> {
  const count = request.variations ?? 1;
  const { onStep, onPreview, previewVariations, ...rest } = options;
  const step = new BatchingModelStep(model.runner, count);
  // One encoder-row scope for all variations, so none clears it while the others still run.
  model.runner.clearEncoderCache();
  const runs = Array.from({ length: count }, async (_, variation) => {
    try {
      return await generate(model, request, {
        ...rest,
        variation,
        modelStep: step,
        onStep: onStep && ((s) => onStep(variation, s)),
        onPreview: onPreview && (previewVariations?.(variation) ?? true) ? (p) => onPreview(variation, p) : undefined,
      });
    } finally {
      step.leave();
    }
  });
  // All settle before we return or throw, so no chain is left running on the model.
  const settled = await Promise.allSettled(runs);
  model.runner.clearEncoderCache();
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<GenerateResult>).value);
}
