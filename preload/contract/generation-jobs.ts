import { z } from 'zod';
import { GenerationRequest, PixelsRef } from './generation';
import { boundedRecord, inheritedKeyMessage, isInheritedKey } from './object-keys';

/**
 * The 'generate' job on the wire: the GenerationRequest, the pixels its image-pixels inputs
 * refer to, per-step previews and per-modality results. Rasters are RGBA8 base64 as in jobs.ts;
 * images follow the document conventions (depth and edges grey with 255 = near / edge,
 * normals RGB-encoded, segmentation as class colours plus a class-index map).
 */
const JobId = z.string().min(1).max(128);
const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64 text');
const Modality = z
  .string()
  .min(1)
  .max(64)
  .refine((name) => !isInheritedKey(name), { error: (issue) => inheritedKeyMessage(issue.input) });
const TokenIds = z.array(z.number().int().min(0).max(0x7fffffff)).max(65_536);

export const GenRaster = z.object({
  width: z.number().int().min(1).max(8192),
  height: z.number().int().min(1).max(8192),
  rgba: Base64,
});

export const GenerateJobRequest = z.object({
  kind: z.literal('generate'),
  request: GenerationRequest,
  /** Pixels for each image-pixels input, keyed by its ref. */
  images: boundedRecord(PixelsRef, GenRaster).default({}),
});
export type GenerateJobRequest = z.infer<typeof GenerateJobRequest>;

export const GeneratedBox = z.object({
  x0: z.number().min(0).max(1),
  y0: z.number().min(0).max(1),
  x1: z.number().min(0).max(1),
  y1: z.number().min(0).max(1),
  label: z.string(),
});

export const GeneratedModality = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('image'),
    tokens: TokenIds,
    raster: GenRaster,
    /** Segmentation only: one class index per pixel, base64. */
    classMap: Base64.optional(),
  }),
  z.object({
    kind: z.literal('sequence'),
    tokens: TokenIds,
    text: z.string(),
    boxes: z.array(GeneratedBox).optional(),
    palette: z.array(z.tuple([z.number().int().min(0).max(255), z.number().int().min(0).max(255), z.number().int().min(0).max(255)])).optional(),
  }),
  /** Tokens with nothing to decode them into (a picture reference: 4M-21's tok_*_global). */
  z.object({
    kind: z.literal('tokens'),
    tokens: TokenIds,
  }),
]);
export type GeneratedModality = z.infer<typeof GeneratedModality>;

/** A step preview of the target being decoded: an image or the text so far. */
export const GenerationPreview = z.object({
  modality: Modality,
  raster: GenRaster.optional(),
  classMap: Base64.optional(),
  text: z.string().optional(),
});
export type GenerationPreview = z.infer<typeof GenerationPreview>;

export const GenerationProgressMessage = z.object({
  type: z.literal('generation-progress'),
  id: JobId,
  variation: z.number().int().min(0),
  done: z.number().int().min(0),
  total: z.number().int().min(1),
  preview: GenerationPreview.optional(),
});

export const GenerationVariation = z.object({
  seed: z.number().int().min(0),
  outputs: boundedRecord(Modality, GeneratedModality),
});
export type GenerationVariation = z.infer<typeof GenerationVariation>;

export const GenerationResultMessage = z.object({
  type: z.literal('generation-result'),
  id: JobId,
  variations: z.array(GenerationVariation).min(1),
  elapsedMs: z.number().min(0),
});

/**
 * The 'upscale' job (official 4M models only): a generated 224 px result ×2 to 448 px with 4M's
 * super-resolution model (an installed official model folder such as 4M-7-SR_L_CC12M, opened
 * beside the current model). It sends back what made the result: the generate job's request and
 * pixels, and the variation that came back (its seed and outputs, tokens included). The host runs
 * engine/generate/official-upscale.ts (the demo's settings: MaskGIT 8 cosine steps, guidance 2,
 * seed + 1) and answers with the usual progress and one GenerationVariation: each upscaled layer
 * under its own layer id, a 448 × 448 raster with 784 tokens.
 */
export const UpscaleJobRequest = z.object({
  kind: z.literal('upscale'),
  /** The super-resolution model, by installed model id. */
  srModelId: z.string().min(1).max(256),
  /** The generate job's request that made the result (the current model's layer ids). */
  request: GenerationRequest,
  images: boundedRecord(PixelsRef, GenRaster).default({}),
  /** The result to upscale. */
  result: GenerationVariation,
  /** The result's picture layers to upscale (layer ids: e.g. the RGB layer and tok_depth@224). */
  layers: z.array(Modality).min(1).max(16),
});
export type UpscaleJobRequest = z.infer<typeof UpscaleJobRequest>;

