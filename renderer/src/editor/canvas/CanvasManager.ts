// The canvas manager: one Konva stage, two Konva layers (pixels; vectors and overlays), one
// adapter per document layer kind. It listens to the DocumentStore directly so pixel edits
// redraw only their dirty rectangle without going through Svelte.
import Konva from 'konva';
import type { DocumentChange, DocumentStore, Layer } from '../../document';
import { BoxesAdapter } from './boxesAdapter';
import { MaskAdapter } from './maskAdapter';
import { RasterAdapter } from './rasterAdapter';

export interface ViewState {
  readonly activeId: string;
  readonly selectedBoxId: string | null;
  /** Show the token grid even without a mask (region-mask tool). */
  readonly showGrid: boolean;
}

export class CanvasManager {
  readonly stage: Konva.Stage;
  readonly #pixels = new Konva.Layer({ listening: false, imageSmoothingEnabled: false });
  readonly #overlay = new Konva.Layer({ listening: false });
  readonly #pixelRoot = new Konva.Group();
  readonly #overlayRoot = new Konva.Group();
  readonly #rasters = new Map<string, RasterAdapter>();
  readonly #boxes = new Map<string, BoxesAdapter>();
  #mask: MaskAdapter;
  readonly #cursor = new Konva.Circle({ radius: 5, stroke: '#ffffff', strokeWidth: 1, visible: false, dash: [3, 3] });
  #view: ViewState = { activeId: '', selectedBoxId: null, showGrid: false };
  #scale = 1;
  #zoom = 1;
  /** Called after the view moves (fit, zoom, pan). */
  onPlaced: ((placement: { x: number; y: number; scale: number }) => void) | null = null;
  #pan = { x: 0, y: 0 };
  readonly #unsubscribe: () => void;

  constructor(
    container: HTMLDivElement,
    private readonly store: DocumentStore,
  ) {
    this.stage = new Konva.Stage({ container, width: container.clientWidth || 512, height: container.clientHeight || 512 });
    this.stage.add(this.#pixels, this.#overlay);
    this.#pixels.add(this.#pixelRoot);
    this.#overlay.add(this.#overlayRoot);
    this.#mask = new MaskAdapter(store.state.manifest);
    this.#build();
    this.#unsubscribe = store.subscribe((change) => this.#onChange(change));
  }

  /** Document pixel under a client point (may be outside the document). */
  toDocument(clientX: number, clientY: number): { x: number; y: number } {
    const box = this.stage.container().getBoundingClientRect();
    return { x: (clientX - box.left - this.#pixelRoot.x()) / this.#scale, y: (clientY - box.top - this.#pixelRoot.y()) / this.#scale };
  }

  get scale(): number {
    return this.#scale;
  }

  /** Where the document sits in the stage (for tests and overlays outside Konva). */
  get placement(): { x: number; y: number; scale: number } {
    return { x: this.#pixelRoot.x(), y: this.#pixelRoot.y(), scale: this.#scale };
  }

  /** Fits the document into the container, at whole-number zoom when it fits (crisp pixels). */
  resize(width: number, height: number): void {
    this.stage.size({ width, height });
    this.#place();
  }

  /** Zooms by `factor` keeping the document point under (clientX, clientY) in place. */
  zoomAt(clientX: number, clientY: number, factor: number): void {
    const before = this.toDocument(clientX, clientY);
    this.#zoom = Math.min(16, Math.max(0.25, this.#zoom * factor));
    this.#place();
    const after = this.toDocument(clientX, clientY);
    this.#pan = { x: this.#pan.x + (after.x - before.x) * this.#scale, y: this.#pan.y + (after.y - before.y) * this.#scale };
    this.#place();
  }

  panBy(dx: number, dy: number): void {
    this.#pan = { x: this.#pan.x + dx, y: this.#pan.y + dy };
    this.#place();
  }

  /** Back to "fit the document in the view". */
  resetView(): void {
    this.#zoom = 1;
    this.#pan = { x: 0, y: 0 };
    this.#place();
  }

  /** Fit at a whole-number zoom when it fits (crisp pixels), times the artist's zoom, plus pan. */
  #place(): void {
    const m = this.store.state.manifest;
    const width = this.stage.width();
    const height = this.stage.height();
    const fit = Math.min((width - 24) / m.width, (height - 24) / m.height);
    this.#scale = Math.max(0.25, fit >= 1 ? Math.floor(fit) : fit) * this.#zoom;
    const x = Math.round((width - m.width * this.#scale) / 2 + this.#pan.x);
    const y = Math.round((height - m.height * this.#scale) / 2 + this.#pan.y);
    for (const root of [this.#pixelRoot, this.#overlayRoot]) root.setAttrs({ x, y, scaleX: this.#scale, scaleY: this.#scale });
    this.#redrawOverlays();
    this.stage.batchDraw();
    this.onPlaced?.({ x, y, scale: this.#scale });
  }

  setView(view: ViewState): void {
    this.#view = view;
    // Manifest order, with the layer being edited on top so the artist sees what they paint.
    for (const adapter of this.#rasters.values()) adapter.node.moveToTop();
    this.#rasters.get(view.activeId)?.node.moveToTop();
    this.#pixels.batchDraw();
    this.#redrawOverlays();
    this.#overlay.batchDraw();
  }

  setCursor(x: number, y: number, diameter: number | null): void {
    this.#cursor.visible(diameter !== null);
    if (diameter !== null) this.#cursor.setAttrs({ x, y, radius: Math.max(0.5, diameter / 2), strokeWidth: 1 / this.#scale, dash: [3 / this.#scale, 3 / this.#scale] });
    this.#overlay.batchDraw();
  }

  /** The offscreen canvas a raster layer is drawn into (PNG export). */
  rasterCanvas(layerId: string): HTMLCanvasElement | undefined {
    return this.#rasters.get(layerId)?.canvas;
  }

  destroy(): void {
    this.#unsubscribe();
    this.stage.destroy();
  }

  #build(): void {
    this.#pixelRoot.destroyChildren();
    this.#rasters.clear();
    this.#boxes.clear();
    const doc = this.store.state;
    const m = doc.manifest;
    this.#pixelRoot.add(new Konva.Rect({ width: m.width, height: m.height, fill: '#1b1f27' }));
    for (const mod of m.modalities) {
      const layer = doc.layers.get(mod.id);
      if (!layer) continue;
      if (layer.kind === 'image' || layer.kind === 'segmentation') {
        const adapter = new RasterAdapter(m.width, m.height, layer.kind === 'segmentation' ? (mod.classes ?? []) : null);
        adapter.update(layer, null);
        this.#rasters.set(layer.id, adapter);
        this.#pixelRoot.add(adapter.node);
      } else if (layer.kind === 'boxes') {
        this.#boxes.set(layer.id, new BoxesAdapter(m.width, m.height));
      }
    }
    this.#overlayRoot.destroyChildren();
    for (const adapter of this.#boxes.values()) this.#overlayRoot.add(adapter.node);
    this.#overlayRoot.add(this.#mask.node, this.#cursor);
    this.#redrawOverlays();
    this.stage.batchDraw();
  }

  #onChange(change: DocumentChange): void {
    if (change.source === 'replace') {
      // Another document may have another token grid and other layers.
      this.#mask = new MaskAdapter(this.store.state.manifest);
      this.#build();
      return;
    }
    const doc = this.store.state;
    for (const id of change.layers) {
      const layer = doc.layers.get(id);
      const raster = this.#rasters.get(id);
      if (layer && raster) raster.update(layer, change.dirty.get(id) ?? null);
    }
    this.#redrawOverlays();
    this.stage.batchDraw();
  }

  #redrawOverlays(): void {
    const doc = this.store.state;
    for (const [id, adapter] of this.#boxes) {
      const layer: Layer | undefined = doc.layers.get(id);
      if (layer) adapter.update(layer, this.#view.selectedBoxId, this.#scale);
    }
    const active = doc.layers.get(this.#view.activeId);
    this.#mask.update(active?.mask ?? null, this.#view.showGrid, this.#scale);
  }
}
