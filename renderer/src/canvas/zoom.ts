// The zoom "Fit" (0) picks, pure so the rule is tested apart from Konva. It fills the view: the
// largest zoom at which the document fits, fractional if need be (a 128 px canvas at 1024 × 700
// shows near 200 %, not at 100 % in a corner of the room). Pixels stay squares either way: the
// canvas draws zoomed pixels nearest-neighbour unless "smooth" is on. Only when a whole number of
// screen (device) pixels per document pixel costs little size is that taken instead, so every
// document pixel is the same size on screen (a fractional zoom makes some a screen pixel wider).

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** Screen pixels kept free around the document when it is fitted. */
export const FIT_MARGIN = 24;
/** A whole-device-pixel zoom is taken when it keeps at least this share of the largest fitting one. */
export const CRISP_SHARE = 0.9;
/** Fit never goes below this, however small the view (the document stays visible). */
export const MIN_FIT = 0.25;

/**
 * The zoom (screen CSS pixels per document pixel) that fits `doc` in `view` less the margin.
 * `devicePixelRatio` is the screen's (a 2× screen has crisp half steps: 2.5 is 5 device pixels).
 */
export function fitZoom(view: Size, doc: Size, devicePixelRatio = 1): number {
  if (doc.width <= 0 || doc.height <= 0) return 1;
  const dpr = Number.isFinite(devicePixelRatio) && devicePixelRatio > 0 ? devicePixelRatio : 1;
  const largest = Math.min((view.width - FIT_MARGIN) / doc.width, (view.height - FIT_MARGIN) / doc.height);
  if (!(largest > MIN_FIT)) return MIN_FIT;
  const crisp = Math.floor(largest * dpr) / dpr;
  return crisp >= 1 && crisp >= largest * CRISP_SHARE ? crisp : largest;
}
