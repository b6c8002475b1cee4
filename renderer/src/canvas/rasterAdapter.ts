// One raster layer (image or segmentation) on the canvas: an offscreen canvas at document
// size, redrawn only in the changed rectangle, shown by a Konva.Image scaled to the view.
import Konva from 'konva';
import type { Layer, LayerContent, Rect, SegmentationClass } from '../document';
import { planeToRgba } from './layerPixels';

export class RasterAdapter {
  readonly node: Konva.Image;
  readonly #canvas: HTMLCanvasElement;
  readonly #ctx: CanvasRenderingContext2D;

  constructor(
    width: number,
    height: number,
    private readonly classes: readonly SegmentationClass[] | null,
    /** Black shows as transparent (the Objects (SAM) layer's "no object"). */
    private readonly blackIsClear = false,
  ) {
    this.#canvas = document.createElement('canvas');
    this.#canvas.width = width;
    this.#canvas.height = height;
    const ctx = this.#canvas.getContext('2d');
    if (!ctx) throw new Error('2D canvas context unavailable');
    this.#ctx = ctx;
    this.node = new Konva.Image({ image: this.#canvas, width, height, listening: false });
  }

  /** Whether there is anything to show (an empty layer shows nothing, a staged result does). */
  hasContent = false;

  /** Redraws `rect` (or everything) of the layer, or of `content` when a preview or staged
   * result stands in for it. Visibility and opacity are the canvas manager's (the view). */
  update(layer: Layer, rect: Rect | null, content: LayerContent = layer.content): void {
    const c = content;
    if (c.kind !== 'image' && c.kind !== 'segmentation') return;
    this.hasContent = content !== layer.content || layer.sync !== 'empty';
    const r = rect ?? { x: 0, y: 0, w: c.plane.width, h: c.plane.height };
    if (r.w <= 0 || r.h <= 0) return;
    const rgba = planeToRgba(c.plane, r, this.classes, this.blackIsClear);
    this.#ctx.putImageData(new ImageData(rgba, r.w, r.h), r.x, r.y);
  }

  /** The layer's pixels as the canvas shows them (for PNG export). */
  get canvas(): HTMLCanvasElement {
    return this.#canvas;
  }
}
