// The slice of a model manifest the document needs. The app maps the model package's
// manifest (models/registry, not yet written) onto this; the project file stores a copy so
// a document opens without its model installed.
import { z } from 'zod';
import { inheritedKeyMessage, isInheritedKey } from '../../../preload/contract/object-keys';

export const LAYER_KINDS = ['image', 'segmentation', 'boxes', 'text', 'palette', 'reference'] as const;
export type LayerKind = (typeof LAYER_KINDS)[number];

const classEntrySchema = z.object({
  name: z.string(),
  color: z.tuple([z.number().int().min(0).max(255), z.number().int().min(0).max(255), z.number().int().min(0).max(255)]),
});
export type SegmentationClass = z.infer<typeof classEntrySchema>;

export const modalityManifestSchema = z.object({
  /** Layer key, e.g. "rgb" or "tok_depth@128"; unique in a manifest. Documents keep layers in records keyed by it. */
  id: z
    .string()
    .min(1)
    .refine((id) => !isInheritedKey(id), { error: (issue) => inheritedKeyMessage(issue.input) }),
  kind: z.enum(LAYER_KINDS),
  /** The layer's name for the artist (the model's displayName); absent in older projects and models. */
  label: z.string().min(1).max(60).optional(),
  /** image kind only: 1 (depth, edge) or 3 (rgb, normal). */
  channels: z.union([z.literal(1), z.literal(3)]).optional(),
  /** segmentation kind only: index → class. At most 255 classes; 255 means unlabeled. */
  classes: z.array(classEntrySchema).max(255).optional(),
  /** boxes kind only: the labels the model knows for a box (official 4M: COCO's classes); absent = any words. */
  labels: z.array(z.string().min(1).max(60)).max(1000).optional(),
  /**
   * false when the open model cannot take this layer as a condition / cannot generate it (an
   * official model's domains_in / domains_out); absent = it can (older projects and models).
   */
  canCondition: z.boolean().optional(),
  canGenerate: z.boolean().optional(),
  /** Objects (SAM) as a condition: the most objects a painting of it gives the open model (its sequence's room); absent = 4M's 12. */
  maxObjects: z.number().int().min(0).max(64).optional(),
  /** Modalities this one is usually derived from; an edit of any of them makes it stale. */
  derivedFrom: z.array(z.string()).optional(),
});
export type ModalityManifest = z.infer<typeof modalityManifestSchema>;

export const documentManifestSchema = z.object({
  modelId: z.string().min(1),
  width: z.number().int().positive().max(8192),
  height: z.number().int().positive().max(8192),
  tokenCols: z.number().int().positive().max(1024),
  tokenRows: z.number().int().positive().max(1024),
  modalities: z.array(modalityManifestSchema).min(1),
});
export type DocumentManifest = z.infer<typeof documentManifestSchema>;

/** Channels of a pixel-plane layer: segmentation is one class index per pixel. */
export function planeChannels(m: ModalityManifest): number {
  if (m.kind === 'segmentation') return 1;
  if (m.kind === 'image') return m.channels ?? 3;
  return 0;
}
