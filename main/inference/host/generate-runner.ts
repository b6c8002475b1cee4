import type { GenerateJobRequest, GeneratedModality, GenerationPreview, GenerationVariation, UpscaleJobRequest } from '../../../preload/contract/generation-jobs';
import { generateVariations, type EngineModel, type GeneratedOutput } from '../../../models/engine/generate';
import { layerImage, type DecodedImage, type RgbaImage } from '../../../models/tokenizers/image';
import type { ParsedColorPalette, ParsedDet } from '../../../models/tokenizers/sequence';
import { JobCancelledError } from './runner';

/**
 * Runs 'generate' jobs on the 4M engine: takes the host's open model (waiting while it loads),
 * resolves the request's image-pixels refs from the pixels sent with the job, runs the variations
 * batched, and turns decoded outputs into the document's conventions (depth grey with white =
 * near, segmentation as a class map plus colours). Cancellation: the engine checks the signal
 * between steps.
 */
export interface GenerateContext {
  readonly signal: AbortSignal;
  progress(variation: number, done: number, total: number, preview?: GenerationPreview): void;
}

export type GenerateRunner = (job: GenerateJobRequest, context: GenerateContext) => Promise<GenerationVariation[]>;

/** 'upscale' jobs: one variation, the upscaled layers under their layer ids (official-runner.ts). */
export type UpscaleRunner = (job: UpscaleJobRequest, context: GenerateContext) => Promise<GenerationVariation[]>;

export function generateRunner(currentModel: () => Promise<EngineModel>): GenerateRunner {
  return async (job, context) => {
    const model = await currentModel();
    const resolvePixels = pixelsResolver(job.images);
    // All variations run side by side, their image steps batched on the FM (generateVariations).
    let results;
    try {
      results = await generateVariations(model, job.request, {
        signal: context.signal,
        resolvePixels,
        onStep: (variation, s) => context.progress(variation, s.progress.done, s.progress.total),
        // The editor shows the first variation while the others finish alongside it.
        previewVariations: (variation) => variation === 0,
        onPreview: (variation, p) => context.progress(variation, p.progress.done, p.progress.total, previewOf(p.event.target, p.image, p.text)),
      });
    } catch (error) {
      if (context.signal.aborted) throw new JobCancelledError('Generation was cancelled');
      throw error;
    }
    const variations: GenerationVariation[] = results.map((result) => {
      const outputs: Record<string, GeneratedModality> = {};
      for (const [name, out] of Object.entries(result.outputs)) outputs[name] = wireOutput(out);
      return { seed: result.seed, outputs };
    });
    return variations;
  };
}

/** The engine's resolvePixels for a job: the raster sent under each image-pixels ref (own keys only), or an error naming the ref. */
export function pixelsResolver(images: GenerateJobRequest['images']): (ref: string) => Promise<RgbaImage> {
  return async (ref) => {
    const raster = Object.hasOwn(images, ref) ? images[ref] : undefined;
    if (!raster) throw new Error(`inputs: no pixels were sent for "${ref}"`);
    return { width: raster.width, height: raster.height, data: new Uint8Array(Buffer.from(raster.rgba, 'base64')) };
  };
}

function base64(bytes: Uint8Array | Uint8ClampedArray): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** A decoded picture in the document's conventions (depth grey, white = near; class map beside the colours). */
export function wireImage(image: DecodedImage): { raster: { width: number; height: number; rgba: string }; classMap?: string } {
  const { width, height } = image.rgba;
  // Depth travels as the grey layer (255 = near) the editor paints and sends back.
  const shown = layerImage(image);
  return { raster: { width, height, rgba: base64(shown.data) }, ...(image.classMap ? { classMap: base64(image.classMap) } : {}) };
}

function previewOf(modality: string, image: DecodedImage | undefined, text: string | undefined): GenerationPreview {
  if (image) return { modality, ...wireImage(image) };
  return { modality, ...(text !== undefined ? { text } : {}) };
}

function wireOutput(out: GeneratedOutput): GeneratedModality {
  const tokens = Array.from(out.tokens);
  if (out.kind === 'image') return { kind: 'image', tokens, ...wireImage(out.image) };
  return wireSequence(tokens, out.text, out.boxes, out.palette);
}

/** A sequence result on the wire: its words, and boxes (coordinates clamped to 0…1) or colours where parsed. */
export function wireSequence(tokens: number[], text: string, boxes?: ParsedDet, palette?: ParsedColorPalette): GeneratedModality {
  const unit = (v: number): number => Math.min(1, Math.max(0, v));
  return {
    kind: 'sequence',
    tokens,
    text,
    ...(boxes ? { boxes: boxes.boxes.map((b) => ({ x0: unit(b.x0), y0: unit(b.y0), x1: unit(b.x1), y1: unit(b.y1), label: b.label })) } : {}),
    ...(palette ? { palette: palette.colors.map((c) => [c[0], c[1], c[2]] as [number, number, number]) } : {}),
  };
}
