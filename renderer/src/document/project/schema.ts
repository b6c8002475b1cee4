// Zod schema of the current (version-3) header. Binary data is referenced by ChunkRef into the blob;
// sizes that depend on the manifest are checked afterwards in decode.ts.
import { z } from 'zod';
import { inheritedKeyMessage, isInheritedKey } from '../../../../preload/contract/object-keys';
import { documentManifestSchema } from '../manifest';

export const FORMAT_ID = '4m-studio.project';

/** More results than anyone keeps in one project; a file claiming more is refused, not restored. */
export const MAX_GALLERY_ENTRIES = 1000;
/** The same bound for upscaled results. */
export const MAX_UPSCALED_ENTRIES = 1000;
/** A job sends few pictures (one per painted condition layer); more is not a file this app wrote. */
export const MAX_INPUTS_PER_ENTRY = 64;
/** Upscaled layers of one result (the upscale job's own bound). */
export const MAX_UPSCALED_PICTURES = 16;

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
  /**
   * A picture reference: its token ids (checked in restore.ts against the reference's count and
   * vocabulary, naming the layer), where they came from, and the thumbnail's raw RGBA bytes.
   */
  z.object({
    kind: z.literal('reference'),
    ids: z.array(z.unknown()).max(4096).nullable(),
    source: z.string().max(300),
    thumbnail: chunkRefSchema.nullable(),
  }),
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

const side = z.number().int().min(1).max(8192);

/** Most kept input pixels (decoded, width × height × 4 bytes, distinct chunks) one project may make us allocate. */
export const MAX_KEPT_PIXEL_BYTES = 512 * 1024 * 1024;

/**
 * An image-pixels input of the job that made the entry (format 3): RGBA8 as a PNG file (`png`,
 * what saveProject writes), or width × height × 4 raw bytes (`rgba`, written by the first
 * format-3 code and still read).
 */
export const inputPixelsSchema = z
  .object({
    // The key of the entry's input pixels: '__proto__' would replace the record's prototype and lose the picture.
    ref: z
      .string()
      .min(1)
      .max(256)
      .refine((ref) => !isInheritedKey(ref), { error: (issue) => inheritedKeyMessage(issue.input) }),
    width: side,
    height: side,
    png: chunkRefSchema.optional(),
    rgba: chunkRefSchema.optional(),
  })
  .refine((p) => (p.png === undefined) !== (p.rgba === undefined), { message: 'expected exactly one of "png" (PNG file bytes) or "rgba" (raw RGBA bytes)' });

export const galleryEntrySchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  accepted: z.boolean(),
  request: z.json(),
  outputs: z.array(galleryOutputSchema),
  // Absent reads as none (a header written by hand or by a tool that does not keep them).
  inputs: z.array(inputPixelsSchema).max(MAX_INPUTS_PER_ENTRY).default([]),
});
export type GalleryEntryJson = z.infer<typeof galleryEntrySchema>;

/** The model the document was made with (format 2): its id and layout identity (document/modelRecord.ts). */
export const modelRecordSchema = z.object({
  id: z.string().min(1).max(256),
  layout: z.string().min(1).max(128),
});

/** One upscaled result (format 3): each picture's PNG bytes are a chunk. */
export const upscaledEntrySchema = z.object({
  id: z.string().min(1).max(128),
  createdAt: z.string().max(64),
  source: z.string().max(128),
  sourceSeed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  srModel: z.string().min(1).max(256),
  pictures: z
    .array(z.object({ layer: z.string().min(1).max(64), width: side, height: side, png: chunkRefSchema }))
    .min(1)
    .max(MAX_UPSCALED_PICTURES),
});
export type UpscaledEntryJson = z.infer<typeof upscaledEntrySchema>;

export const headerSchema = z.object({
  format: z.literal(FORMAT_ID),
  model: modelRecordSchema,
  manifest: documentManifestSchema,
  layers: z.array(layerSchema),
  gallery: z.array(galleryEntrySchema).max(MAX_GALLERY_ENTRIES),
  /**
   * Read entry by entry (restore.ts): one that does not parse is left out with a note, so a damaged
   * upscaled picture never keeps the layers and the gallery from opening.
   */
  upscaled: z.array(z.unknown()).max(MAX_UPSCALED_ENTRIES),
});
export type HeaderJson = z.infer<typeof headerSchema>;
