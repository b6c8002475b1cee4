import { z } from 'zod';

/**
 * What main needs to guard closing the window: whether the document has changes
 * not saved to its file, and the name to show. Sent by the renderer on change.
 */
export const UnsavedState = z.object({
  dirty: z.boolean(),
  name: z.string().max(260),
});
export type UnsavedState = z.infer<typeof UnsavedState>;
