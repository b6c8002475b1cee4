/**
 * The engine's generation entry: request → initial state → plan → chain run
 * on the FM → decoded outputs. After a step a preview of the target is
 * decoded (image tokens through the tokenizer decoder, sequences as text)
 * while the next step already runs. Latest wins, and image previews start at
 * most every previewIntervalMs: when steps outpace that, some are skipped,
 * never a target's last step. Progress events come for every step;
 * cancellation is checked between steps.
 */
import type { GenerationRequest } from '../../../preload/contract/generation';
import { maxTokensFromRequest, runChain, variationSeed, type ModelStep, type StepEvent } from '../../sampling';
import type { DecodedImage } from '../../tokenizers/image';
import type { EngineModel } from './engine-model';
import { decodeTokens } from './image-codec';
import { decodeOutput, sequenceText, type GeneratedOutput } from './outputs';
import { initialState, planRequest, type PixelResolver } from './request-state';

export interface StepProgress {
  readonly event: StepEvent;
  /** Steps done in the whole plan and the plan's length. */
  readonly progress: { readonly done: number; readonly total: number };
}

/** A decoded view of the target after some step. */
export interface StepPreview extends StepProgress {
  readonly image?: DecodedImage;
  readonly text?: string;
}

export interface GenerateOptions {
  readonly signal?: AbortSignal;
  /** Called synchronously after every step (every token for sequences). */
  readonly onStep?: (step: StepProgress) => void;
  /**
   * Decoded previews. They decode off the sampling path, latest wins: while one
   * decodes, a newer step replaces the waiting one, so a slow tokenizer decoder
   * never holds the chain back. The chain's last step is always previewed.
   */
  readonly onPreview?: (preview: StepPreview) => void;
  readonly resolvePixels?: PixelResolver;
  /**
   * Least time between the starts of two image preview decodes (default 80 ms, about
   * 12 a second: smooth to watch, and on two cores the decoder then takes little from
   * sampling). A target's first and last steps are always previewed; 0 previews every step.
   */
  readonly previewIntervalMs?: number;
  /** 0-based variation; its seed is request.seed + variation. */
  readonly variation?: number;
  /** The model step to sample with (default the model's FM); generateVariations batches through it and then owns the encoder-row cache's scope. */
  readonly modelStep?: ModelStep;
}

export interface GenerateResult {
  readonly seed: number;
  readonly outputs: Record<string, GeneratedOutput>;
  /** Every modality's final tokens (conditions included), for replay and tests. */
  readonly tokens: Record<string, Int32Array>;
  readonly steps: number;
}

export const DEFAULT_PREVIEW_INTERVAL_MS = 80;

export async function generate(model: EngineModel, request: GenerationRequest, options: GenerateOptions = {}): Promise<GenerateResult> {
  if (request.modelId !== model.manifest.id) {
    throw new Error(`request is for model "${request.modelId}" but "${model.manifest.id}" is loaded`);
  }
  const state = await initialState(model, request, options.resolvePixels);
  const plan = planRequest(request, state, (name) => {
    const spec = model.manifest.modalities.find((m) => m.name === name);
    return spec?.type === 'img' ? spec.tokenizer.fsqLevels : undefined;
  });
  const seed = variationSeed(request, options.variation ?? 0);
  let decoding: Promise<void> = Promise.resolve();
  let waiting: StepProgress | undefined;
  let busy = false;
  let previewError: unknown;
  const interval = options.previewIntervalMs ?? DEFAULT_PREVIEW_INTERVAL_MS;
  let lastImageStart = -Infinity;
  const due = (step: StepProgress): boolean => {
    const e = step.event;
    if (e.scheme === 'autoregressive' || e.step === 1 || e.step === e.totalSteps) return true;
    return performance.now() - lastImageStart >= interval;
  };
  const pump = (): void => {
    if (busy || !waiting || !due(waiting)) return;
    const step = waiting;
    waiting = undefined;
    busy = true;
    if (step.event.scheme !== 'autoregressive') lastImageStart = performance.now();
    decoding = preview(model, step.event)
      .then((decoded) => options.onPreview?.({ ...step, ...decoded }))
      .catch((error: unknown) => {
        previewError ??= error;
      })
      .finally(() => {
        busy = false;
        pump();
      });
  };
  // A step still waiting and not due at the end is dropped (a later one was shown).
  const drain = async (): Promise<void> => {
    for (;;) {
      pump();
      if (!busy) return;
      await decoding;
    }
  };
  const onStep = (event: StepEvent): void => {
    const step = { event, progress: { done: event.scheduleIndex + 1, total: plan.length } };
    options.onStep?.(step);
    if (options.onPreview) {
      waiting = step;
      pump();
    }
  };

  // Encoder rows are reused within one generation; a caller that shares its own model step
  // across several generations (generateVariations) owns that scope instead.
  const ownsEncoderCache = options.modelStep === undefined;
  if (ownsEncoderCache) model.runner.clearEncoderCache();
  try {
    const final = await runChain(state, plan, {
      model: options.modelStep ?? model.runner,
      seed,
      vocab: model.vocab,
      maxTokens: maxTokensFromRequest(request),
      signal: options.signal,
      onStep,
      independentTargets: request.independentTargets ?? false,
    });
    await drain();
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
    if (ownsEncoderCache) model.runner.clearEncoderCache();
    waiting = undefined;
    await drain();
  }
}

async function preview(model: EngineModel, event: StepEvent): Promise<{ image?: DecodedImage; text?: string }> {
  const spec = model.modality(event.target);
  if (spec.type === 'img') return { image: await decodeTokens(model, spec, event.previewTokens, { preview: true }) };
  // Special ids (padding, sentinels of unwritten slots) are skipped by the decoder.
  return { text: sequenceText(model, event.previewTokens) };
}
