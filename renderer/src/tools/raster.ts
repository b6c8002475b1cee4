// What a raster tool returns: the new bytes of the rectangle it touched. Tools never write
// into the document; the caller turns this into a paintPixels command.
import type { Rect } from '../document/rect';

export interface RasterEdit {
  readonly rect: Rect;
  /** rect.w × rect.h × channels bytes, rows packed. */
  readonly after: Uint8Array;
}
