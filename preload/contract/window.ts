import { z } from 'zod';

/**
 * What main needs to guard closing the window: whether the document has changes not saved to its
 * file, whether a generated result waits for Accept (it is in no file and no autosave), and the
 * name to show. Sent by the renderer on change.
 */
export const MAX_UNSAVED_NAME = 260;
export const UnsavedState = z.object({
  dirty: z.boolean(),
  waiting: z.boolean(),
  name: z.string().max(MAX_UNSAVED_NAME),
});
export type UnsavedState = z.infer<typeof UnsavedState>;
