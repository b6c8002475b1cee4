// A small picture of one layer's content (a layer row, a staged variation, a gallery entry):
// drawn from the content itself, in the layer colours, never from what the canvas happens to show.
import type { LayerContent, SegmentationClass } from '../document';
import { planeToRgba } from './layerPixels';

/** Draws `content` scaled to the context's canvas; clears it for anything without pixels. */
export function drawThumbnail(ctx: CanvasRenderingContext2D, content: LayerContent | undefined, classes: readonly SegmentationClass[] | null): void {
  const { width, height } = ctx.canvas;
  ctx.clearRect(0, 0, width, height);
  if (content?.kind !== 'image' && content?.kind !== 'segmentation') return;
  const p = content.plane;
  const full = document.createElement('canvas');
  full.width = p.width;
  full.height = p.height;
  const rgba = planeToRgba(p, { x: 0, y: 0, w: p.width, h: p.height }, content.kind === 'segmentation' ? (classes ?? []) : null);
  full.getContext('2d')?.putImageData(new ImageData(rgba, p.width, p.height), 0, 0);
  ctx.drawImage(full, 0, 0, width, height);
}
