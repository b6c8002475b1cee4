// A small picture of one layer's content (a layer row, a staged variation, a gallery entry):
// drawn from the content itself, in the layer colours, never from what the canvas happens to show.
import { REFERENCE_THUMBNAIL_SIDE, type LayerContent, type SegmentationClass } from '../document';
import { planeToRgba } from './layerPixels';

/** Draws `content` scaled to the context's canvas; clears it for anything without pixels. */
export function drawThumbnail(ctx: CanvasRenderingContext2D, content: LayerContent | undefined, classes: readonly SegmentationClass[] | null): void {
  const { width, height } = ctx.canvas;
  ctx.clearRect(0, 0, width, height);
  if (content?.kind === 'reference') {
    // A picture reference shows the picture it was read from (a predicted one has none).
    if (content.thumbnail) drawRgba(ctx, content.thumbnail, REFERENCE_THUMBNAIL_SIDE, REFERENCE_THUMBNAIL_SIDE);
    return;
  }
  if (content?.kind !== 'image' && content?.kind !== 'segmentation') return;
  const p = content.plane;
  const full = document.createElement('canvas');
  full.width = p.width;
  full.height = p.height;
  const rgba = planeToRgba(p, { x: 0, y: 0, w: p.width, h: p.height }, content.kind === 'segmentation' ? (classes ?? []) : null);
  full.getContext('2d')?.putImageData(new ImageData(rgba, p.width, p.height), 0, 0);
  ctx.drawImage(full, 0, 0, width, height);
}

function drawRgba(ctx: CanvasRenderingContext2D, rgba: Uint8Array, w: number, h: number): void {
  const full = document.createElement('canvas');
  full.width = w;
  full.height = h;
  full.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(rgba), w, h), 0, 0);
  ctx.drawImage(full, 0, 0, ctx.canvas.width, ctx.canvas.height);
}
