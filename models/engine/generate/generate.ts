/**
 * The engine's generation entry: request → initial state → plan → chain run
 * on the FM → decoded outputs. After every step a preview of the target is
 * decoded (image tokens through the tokenizer decoder, sequences as text)
 * while the next step already runs; cancellation is checked between steps.
 */
import type { GenerationRequest } from '../../../preload/contract/generation';
import { maxTokensFromRequest, runChain, variationSeed, type StepEvent } from '../../sampling';
import type { DecodedImage } from '../../tokenizers/image';
import type { EngineModel } from './engine-model';
import { decodeTokens } from './image-codec';
import { decodeOutput, sequenceText, type GeneratedOutput } from './outputs';
import { initialState, planRequest, type PixelResolver } from './request-state';

export interface StepPreview {
  readonly event: StepEvent;
  /** Index of this step in the whole plan and the plan's length. */
  readonly progress: { readonly done: number; readonly total: number };
  readonly image?: DecodedImage;
  readonly text?: string;
}

export interface GenerateOptions {
  readonly signal?: AbortSignal;
  readonly onStep?: (preview: StepPreview) => void;
  /** Decode a preview per step (default true when onStep is given). */
  readonly previews?: boolean;
  readonly resolvePixels?: PixelResolver;
  /** 0-based variation; its seed is request.seed + variation. */
  readonly variation?: number;
}

export interface GenerateResult {
  readonly seed: number;
  readonly outputs: Record<string, GeneratedOutput>;
  /** Every modality's final tokens (conditions included), for replay and tests. */
  readonly tokens: Record<string, Int32Array>;
  readonly steps: number;
}

export async function generate(model: EngineModel, request: GenerationRequest, options: GenerateOptions = {}): Promise<GenerateResult> {
  if (request.modelId !== model.manifest.id) {
    throw new Error(`request is for model "${request.modelId}" but "${model.manifest.id}" is loaded`);
  }
  const state = await initialState(model, request, options.resolvePixels);
  const plan = planRequest(request, state);
  const seed = variationSeed(request, options.variation ?? 0);
  const wantPreviews = (options.previews ?? true) && options.onStep !== undefined;
  let previewQueue: Promise<void> = Promise.resolve();
  let previewError: unknown;

  const onStep = options.onStep
    ? (event: StepEvent): void => {
        const progress = { done: event.scheduleIndex + 1, total: plan.length };
        if (!wantPreviews) return options.onStep?.({ event, progress });
        // Previews decode in order while the next step runs; errors surface at the end.
        previewQueue = previewQueue
          .then(async () => options.onStep?.({ event, progress, ...(await preview(model, event)) }))
          .catch((error: unknown) => {
            previewError ??= error;
          });
      }
    : undefined;

  try {
    const final = await runChain(state, plan, {
      model: model.runner,
      seed,
      vocab: model.vocab,
      maxTokens: maxTokensFromRequest(request),
      signal: options.signal,
      onStep,
    });
    await previewQueue;
    if (previewError) throw previewError;
    const outputs: Record<string, GeneratedOutput> = {};
    for (const t of request.targets) {
      const m = final[t.modality];
      if (m) outputs[t.modality] = await decodeOutput(model, t.modality, m);
    }
    const tokens: Record<string, Int32Array> = {};
    for (const [name, m] of Object.entries(final)) tokens[name] = m.tokens.slice();
    return { seed, outputs, tokens, steps: plan.length };
  } finally {
    await previewQueue;
  }
}

async function preview(model: EngineModel, event: StepEvent): Promise<{ image?: DecodedImage; text?: string }> {
  const spec = model.modality(event.target);
  if (spec.type === 'img') return { image: await decodeTokens(model, spec, event.previewTokens) };
  // Special ids (padding, sentinels of unwritten slots) are skipped by the decoder.
  return { text: sequenceText(model, event.previewTokens) };
}
