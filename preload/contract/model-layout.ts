import { z } from 'zod';

/**
 * What the editor needs to know about the open model to lay out a document: canvas size, token
 * grid, layers (modality ids, display names, image or sequence, domain), segmentation classes and
 * the labels a box may carry.
 * The host sends it with a loaded model's status, so the editor follows whichever model is open
 * (a model package or an official 4M folder) without reading model files itself. The same shape
 * as the fields of a package manifest that renderer/src/document/fromModelManifest.ts reads.
 */
const Rgb = z.tuple([z.number().int().min(0).max(255), z.number().int().min(0).max(255), z.number().int().min(0).max(255)]);
const Grid = z.tuple([z.number().int().min(1).max(256), z.number().int().min(1).max(256)]);

export const LayoutModality = z.object({
  name: z.string().min(1).max(64),
  displayName: z.string().min(1).max(60),
  /** 'ref': a picture reference (4M-21's tok_*_global: 16 tokens, no picture of its own; preload/contract/reference.ts). */
  type: z.enum(['img', 'seq', 'ref']),
  domain: z.string().min(1).max(64),
  /** Images: [rows, cols]. */
  grid: Grid.optional(),
  /**
   * Whether the model reads it as a condition / writes it as a target (an official 4M config's
   * domains_in / domains_out: the SR model only reads its caption and boxes). Absent = it can
   * (package manifests and statuses from before these fields).
   */
  input: z.boolean().optional(),
  output: z.boolean().optional(),
  /**
   * Objects (SAM) read as a condition: the most objects a painting of it gives the model (what its
   * sequence holds; preload/contract/sam-painting.ts). Absent on every other layer.
   */
  maxObjects: z.number().int().min(0).max(64).optional(),
});
export type LayoutModality = z.infer<typeof LayoutModality>;

export const ModelLayout = z.object({
  id: z.string().min(1).max(256),
  imageSize: z.number().int().min(16).max(4096),
  modalities: z.array(LayoutModality).min(1).max(64),
  classes: z.array(z.object({ id: z.number().int().min(0).max(254), name: z.string().max(60), color: Rgb })).max(255).optional(),
  /**
   * The labels the model knows for a box (det): an official 4M model's COCO class names, from its
   * WordPiece file. Absent: any label (the bundled models learned their own words).
   */
  boxLabels: z.array(z.string().min(1).max(60)).min(1).max(1000).optional(),
  /**
   * Picture layers go in as their pixels even when they hold the model's tokens: 4M's
   * super-resolution model worked at 448 derives its 224 picture condition from the 448 picture.
   */
  picturesAsPixels: z.boolean().optional(),
});
export type ModelLayout = z.infer<typeof ModelLayout>;
