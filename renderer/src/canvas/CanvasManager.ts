// The canvas manager: one Konva stage, two Konva layers (pixels; vectors and overlays), one
// adapter per document layer kind. It listens to the DocumentStore directly so pixel edits
// redraw only their dirty rectangle without going through Svelte.
//
// What it shows is the view, not the layer stack: one pixel layer at a time (the one being
// looked at), optionally one other layer over it at an adjustable opacity, and the boxes only
// when they are selected or are that overlay. Step previews and staged results stand in for a
// layer's content here without touching the document.
import Konva from 'konva';
import type { DocumentChange, DocumentStore, LayerContent } from '../document';
import { BoxesAdapter } from './boxesAdapter';
import { MaskAdapter } from './maskAdapter';
import { MaskTint } from './maskTint';
import { RasterAdapter } from './rasterAdapter';
import { fitZoom } from './zoom';
import { isSamInstanceLayer } from '../../../preload/contract/sam-instance';

export interface ViewState {
  /** The layer being edited (its mask and, for boxes, its boxes are drawn). */
  readonly activeId: string;
  /** The pixel layer shown. */
  readonly viewId: string;
  /** Another layer drawn over it, or null. */
  readonly overlayId: string | null;
  /** 0..1 */
  readonly overlayOpacity: number;
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
  readonly #maskTint = new MaskTint();
  readonly #cursor = new Konva.Circle({ radius: 5, stroke: '#ffffff', strokeWidth: 1, visible: false, dash: [3, 3] });
  #view: ViewState = { activeId: '', viewId: '', overlayId: null, overlayOpacity: 0.4, selectedBoxId: null, showGrid: false };
  /** Previews and staged results, per layer: shown instead of the document's content. */
  #overrides: ReadonlyMap<string, LayerContent> = new Map();
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
    this.#maskTint.reset(this.#masks(store.state.layers.keys()));
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

  /** The container's new size: the document is fitted to it again (times the artist's zoom). */
  resize(width: number, height: number): void {
    this.stage.size({ width, height });
    this.#place();
  }

  /** Zooms by `factor` keeping the document point under (clientX, clientY) in place. */
  zoomAt(clientX: number, clientY: number, factor: number): void {
    const before = this.toDocument(clientX, clientY);
    this.#zoom = Math.min(64 / this.#fitScale(), Math.max(0.25, this.#zoom * factor));
    this.#place();
    const after = this.toDocument(clientX, clientY);
    this.#pan = { x: this.#pan.x + (after.x - before.x) * this.#scale, y: this.#pan.y + (after.y - before.y) * this.#scale };
    this.#place();
  }

  /** Zooms by `factor` about the middle of the view (the + and − keys). */
  zoomBy(factor: number): void {
    const box = this.stage.container().getBoundingClientRect();
    this.zoomAt(box.left + this.stage.width() / 2, box.top + this.stage.height() / 2, factor);
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

  /** Smooth (interpolated) or pixel (nearest) display of zoomed pixels. */
  setSmooth(smooth: boolean): void {
    this.#pixels.imageSmoothingEnabled(smooth);
    this.#pixels.batchDraw();
  }

  /** Document pixels at `scale` screen pixels each (1 = 100 %), centred. */
  zoomTo(scale: number): void {
    this.#zoom = scale / this.#fitScale();
    this.#pan = { x: 0, y: 0 };
    this.#place();
  }

  /** The largest zoom that fits (see zoom.ts), in the screen's device pixels. */
  #fitScale(): number {
    return fitZoom(this.stage.size(), this.store.state.manifest, Konva.pixelRatio);
  }

  /** Fit (see zoom.ts) times the artist's zoom, plus pan; the corner on a whole screen pixel. */
  #place(): void {
    const m = this.store.state.manifest;
    const width = this.stage.width();
    const height = this.stage.height();
    this.#scale = this.#fitScale() * this.#zoom;
    const x = Math.round((width - m.width * this.#scale) / 2 + this.#pan.x);
    const y = Math.round((height - m.height * this.#scale) / 2 + this.#pan.y);
    for (const root of [this.#pixelRoot, this.#overlayRoot]) root.setAttrs({ x, y, scaleX: this.#scale, scaleY: this.#scale });
    this.#redrawOverlays();
    this.stage.batchDraw();
    this.onPlaced?.({ x, y, scale: this.#scale });
  }

  setView(view: ViewState): void {
    this.#view = view;
    this.#applyView();
    this.#redrawOverlays();
    this.stage.batchDraw();
  }

  /** Shows `overrides` (previews, a staged result) instead of those layers' document content. */
  setOverrides(overrides: ReadonlyMap<string, LayerContent>): void {
    const doc = this.store.state;
    const changed = new Set([...this.#overrides.keys(), ...overrides.keys()]);
    this.#overrides = overrides;
    for (const id of changed) {
      const layer = doc.layers.get(id);
      if (layer) this.#rasters.get(id)?.update(layer, null, overrides.get(id));
    }
    this.#applyView();
    this.#redrawOverlays();
    this.stage.batchDraw();
  }

  /** Whether the shown pixel layer has anything to show (else the canvas says how to start). */
  get viewHasContent(): boolean {
    return this.#rasters.get(this.#view.viewId)?.hasContent ?? false;
  }

  /** The view, flattened at document size (PNG and PSD composites): the shown layer, then the overlay. */
  viewComposite(): HTMLCanvasElement {
    const m = this.store.state.manifest;
    const out = document.createElement('canvas');
    out.width = m.width;
    out.height = m.height;
    const ctx = out.getContext('2d');
    if (!ctx) return out;
    const base = this.#rasters.get(this.#view.viewId);
    if (base?.hasContent) ctx.drawImage(base.canvas, 0, 0);
    const over = this.#view.overlayId ? this.#rasters.get(this.#view.overlayId) : undefined;
    if (over?.hasContent && this.#view.overlayId !== this.#view.viewId) {
      ctx.globalAlpha = this.#view.overlayOpacity;
      ctx.drawImage(over.canvas, 0, 0);
    }
    return out;
  }

  /** Shown layer at full opacity, the overlay on top of it at its opacity, everything else hidden. */
  #applyView(): void {
    const v = this.#view;
    for (const [id, adapter] of this.#rasters) {
      const shown = id === v.viewId || id === v.overlayId;
      adapter.node.visible(shown && adapter.hasContent);
      adapter.node.opacity(id === v.viewId ? 1 : v.overlayOpacity);
    }
    const over = v.overlayId && v.overlayId !== v.viewId ? this.#rasters.get(v.overlayId) : undefined;
    over?.node.moveToTop();
    for (const [id, adapter] of this.#boxes) {
      adapter.node.visible(id === v.activeId || id === v.overlayId);
      adapter.node.opacity(id === v.activeId ? 1 : v.overlayOpacity);
    }
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
        const adapter = new RasterAdapter(m.width, m.height, layer.kind === 'segmentation' ? (mod.classes ?? []) : null, isSamInstanceLayer(layer.id));
        adapter.update(layer, null, this.#overrides.get(layer.id));
        this.#rasters.set(layer.id, adapter);
        this.#pixelRoot.add(adapter.node);
      } else if (layer.kind === 'boxes') {
        this.#boxes.set(layer.id, new BoxesAdapter(m.width, m.height));
      }
    }
    this.#overlayRoot.destroyChildren();
    for (const adapter of this.#boxes.values()) this.#overlayRoot.add(adapter.node);
    this.#overlayRoot.add(this.#mask.node, this.#cursor);
    this.#applyView();
    this.#redrawOverlays();
    this.stage.batchDraw();
  }

  #onChange(change: DocumentChange): void {
    if (change.source === 'replace') {
      // Another document may have another token grid and other layers.
      this.#mask = new MaskAdapter(this.store.state.manifest);
      this.#maskTint.reset(this.#masks(this.store.state.layers.keys()));
      this.#overrides = new Map();
      this.#build();
      return;
    }
    const doc = this.store.state;
    this.#maskTint.note(this.#masks(change.layers), change.content);
    for (const id of change.layers) {
      const layer = doc.layers.get(id);
      const raster = this.#rasters.get(id);
      // A layer standing in for a preview keeps showing it; the document redraws when it ends.
      if (layer && raster && !this.#overrides.has(id)) raster.update(layer, change.dirty.get(id) ?? null);
    }
    this.#applyView();
    this.#redrawOverlays();
    this.stage.batchDraw();
  }

  #redrawOverlays(): void {
    const doc = this.store.state;
    for (const [id, adapter] of this.#boxes) {
      const content = this.#overrides.get(id) ?? doc.layers.get(id)?.content;
      if (content) adapter.update(content, this.#view.selectedBoxId, this.#scale);
    }
    const active = doc.layers.get(this.#view.activeId);
    const tint = this.#maskTint.tinted(this.#view.activeId, this.#overrides.has(this.#view.activeId));
    this.#mask.update(active?.mask ?? null, this.#view.showGrid, this.#scale, tint);
  }

  #masks(ids: Iterable<string>): Map<string, Uint8Array | null> {
    const doc = this.store.state;
    return new Map([...ids].map((id) => [id, doc.layers.get(id)?.mask ?? null]));
  }
}
