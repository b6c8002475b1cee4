import Konva from 'konva';

/**
 * The canvas manager: one Konva stage, one Konva layer per document layer kind.
 * Layers do not listen to pointer events yet (tools come later), which keeps
 * Konva's hit canvases out of the way.
 */
export type LayerName = 'rgb' | 'relief';

export class CanvasStage {
  readonly stage: Konva.Stage;
  readonly #layers = new Map<LayerName, { layer: Konva.Layer; image: Konva.Image }>();

  constructor(container: HTMLDivElement, size: number) {
    this.stage = new Konva.Stage({ container, width: size * 2 + 16, height: size });
    (['rgb', 'relief'] as const).forEach((name, index) => {
      const layer = new Konva.Layer({ listening: false, name });
      const image = new Konva.Image({ image: undefined, x: index * (size + 16), width: size, height: size });
      layer.add(image);
      this.stage.add(layer);
      this.#layers.set(name, { layer, image });
    });
  }

  draw(name: LayerName, source: HTMLCanvasElement): void {
    const entry = this.#layers.get(name);
    if (!entry) throw new Error(`no canvas layer "${name}"`);
    entry.image.image(source);
    entry.layer.batchDraw();
  }

  destroy(): void {
    this.stage.destroy();
  }
}
