// Zod schema of the current (version-2) header. Binary data is referenced by ChunkRef into the blob;
// sizes that depend on the manifest are checked afterwards in decode.ts.
import { z } from 'zod';
import { documentManifestSchema } from '../manifest';

export const FORMAT_ID = '4m-studio.project';

/** More results than anyone keeps in one project; a file claiming more is refused, not restored. */
export const MAX_GALLERY_ENTRIES = 1000;

const byte = z.number().int().min(0).max(255);
const unit = z.number().min(0).max(1);

export const chunkRefSchema = z.object({
  offset: z.number().int().nonnegative(),
  length: z.number().int().nonnegative(),
});

export const boxSchema = z.object({ id: z.string(), x0: unit, y0: unit, x1: unit, y1: unit, label: z.string() });

export const contentSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('image'), pixels: chunkRefSchema }),
  z.object({ kind: z.literal('segmentation'), classes: chunkRefSchema }),
  z.object({ kind: z.literal('boxes'), boxes: z.array(boxSchema) }),
  z.object({ kind: z.literal('text'), text: z.string() }),
  z.object({ kind: z.literal('palette'), swatches: z.array(z.tuple([byte, byte, byte])) }),
]);
export type ContentJson = z.infer<typeof contentSchema>;

export const layerSchema = z.object({
  id: z.string(),
  visible: z.boolean(),
  opacity: unit,
  locked: z.boolean(),
  role: z.enum(['condition', 'generate', 'ignore']),
  sync: z.enum(['in-sync', 'stale', 'empty']),
  derivedFrom: z.array(z.string()),
  content: contentSchema,
  /** cols × rows bytes, each 0 or 1; null = no region (whole layer). */
  mask: chunkRefSchema.nullable(),
  /** int32 little-endian token ids. */
  tokens: z.object({ ids: chunkRefSchema, agree: z.boolean() }).nullable(),
});
export type LayerJson = z.infer<typeof layerSchema>;

export const galleryOutputSchema = z.object({
  layer: z.string(),
  content: contentSchema,
  tokens: chunkRefSchema.nullable(),
});

export const galleryEntrySchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  accepted: z.boolean(),
  request: z.json(),
  outputs: z.array(galleryOutputSchema),
});
export type GalleryEntryJson = z.infer<typeof galleryEntrySchema>;

/** The model the document was made with (format 2): its id and layout identity (document/modelRecord.ts). */
export const modelRecordSchema = z.object({
  id: z.string().min(1).max(256),
  layout: z.string().min(1).max(128),
});

export const headerSchema = z.object({
  format: z.literal(FORMAT_ID),
  model: modelRecordSchema,
  manifest: documentManifestSchema,
  layers: z.array(layerSchema),
  gallery: z.array(galleryEntrySchema).max(MAX_GALLERY_ENTRIES),
});
export type HeaderJson = z.infer<typeof headerSchema>;
