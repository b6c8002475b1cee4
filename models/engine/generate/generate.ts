/**
 * The engine's generation entry: request → initial state → plan → chain run
 * on the FM → decoded outputs. After every step a preview of the target is
 * decoded (image tokens through the tokenizer decoder, sequences as text)
 * while the next step already runs (latest wins: a preview may be skipped
 * when steps outpace the decoder, never the chain's last); progress events
 * come for every step; cancellation is checked between steps.
 */
import type { GenerationRequest } from '../../../preload/contract/generation';
import { maxTokensFromRequest, runChain, variationSeed, type StepEvent } from '../../sampling';
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
  let decoding: Promise<void> = Promise.resolve();
  let waiting: StepProgress | undefined;
  let busy = false;
  let previewError: unknown;
  const pump = (): void => {
    if (busy || !waiting) return;
    const step = waiting;
    waiting = undefined;
    busy = true;
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
  const drain = async (): Promise<void> => {
    while (busy || waiting) await decoding;
  };
  const onStep = (event: StepEvent): void => {
    const step = { event, progress: { done: event.scheduleIndex + 1, total: plan.length } };
    options.onStep?.(step);
    if (options.onPreview) {
      waiting = step;
      pump();
    }
  };

  try {
    const final = await runChain(state, plan, {
      model: model.runner,
      seed,
      vocab: model.vocab,
      maxTokens: maxTokensFromRequest(request),
      signal: options.signal,
      onStep,
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
    waiting = undefined;
    await drain();
  }
}

async function preview(model: EngineModel, event: StepEvent): Promise<{ image?: DecodedImage; text?: string }> {
  const spec = model.modality(event.target);
  if (spec.type === 'img') return { image: await decodeTokens(model, spec, event.previewTokens) };
  // Special ids (padding, sentinels of unwritten slots) are skipped by the decoder.
  return { text: sequenceText(model, event.previewTokens) };
}
