// Pointer events on the canvas → tool actions. Strokes are one history entry each
// (beginStroke/endStroke); box drags show live as previews and record once on release.
import { setBoxes, type Box, type DocumentState } from '../document';
import { dabsAlong, newBoxLabel, type Dab } from '../tools';
import type { EditorState } from '../state/EditorState.svelte';
import { boxDuringDrag, boxesWith, isTooSmall, startBoxDrag, type BoxDrag } from '../tools/boxDrag';
import { BRUSH_SPACING, dabUpdate, fillUpdate, gradientUpdate, maskDabUpdate, shapeUpdate } from '../tools/paintOps';
import type { Point, Shape } from '../tools';
import { isOutputOnly } from '../tools/toolIds';
import type { CanvasManager } from './CanvasManager';

const HANDLE_GRAB_PX = 7;
let boxCounter = 0;

function boxesOf(doc: DocumentState, layerId: string): readonly Box[] {
  const c = doc.layers.get(layerId)?.content;
  return c?.kind === 'boxes' ? c.boxes : [];
}

export class PointerController {
  #stroke: { last: Dab; carry: number; erase: boolean } | null = null;
  #box: { drag: BoxDrag; layerId: string; revert: (() => void) | null; current: Box | null } | null = null;
  #gradient: { layerId: string; ax: number; ay: number; bx: number; by: number; revert: (() => void) | null } | null = null;
  #shape: { layerId: string; kind: 'rect' | 'ellipse' | 'lasso'; points: Point[]; revert: (() => void) | null } | null = null;
  /** Where the last brush stroke ended, per layer: Shift-click draws a straight line from it. */
  readonly #lastEnd = new Map<string, Dab>();

  constructor(
    private readonly editor: EditorState,
    private readonly canvas: CanvasManager,
  ) {}

  down(e: PointerEvent): void {
    if (e.button !== 0) return;
    const ed = this.editor;
    const layerId = ed.activeId;
    // A layer the model only makes (Objects (SAM)): the tool bar's hint says why; nothing starts.
    if (isOutputOnly(ed.manifest, layerId)) return;
    const p = this.#dab(e);
    ed.error = '';
    switch (ed.tool) {
      case 'brush':
      case 'eraser':
      case 'mask': {
        const erase = ed.tool === 'eraser' || (ed.tool === 'mask' && e.altKey);
        const from = e.shiftKey ? this.#lastEnd.get(layerId) : undefined;
        ed.beginStroke(ed.tool === 'mask' ? 'Mask region' : erase ? 'Erase' : from ? 'Line' : 'Paint');
        if (!this.#dabAt(layerId, from ?? p, erase)) {
          ed.endStroke();
          return;
        }
        this.#stroke = { last: from ?? p, carry: 0, erase };
        if (from) this.move(e); // straight segment from the previous stroke's end
        return;
      }
      case 'gradient': {
        this.#gradient = { layerId, ax: p.x, ay: p.y, bx: p.x, by: p.y, revert: null };
        return;
      }
      case 'fill':
        ed.run((doc) => fillUpdate(doc, layerId, p.x, p.y, ed.paint, ed.brush.fillTolerance));
        return;
      case 'rect':
      case 'ellipse':
      case 'lasso':
        this.#shape = { layerId, kind: ed.tool, points: [{ x: p.x, y: p.y }], revert: null };
        return;
      case 'box': {
        const m = ed.manifest;
        const tol = HANDLE_GRAB_PX / this.canvas.scale / m.width;
        const drag = startBoxDrag(boxesOf(ed.store.state, layerId), p.x / m.width, p.y / m.height, tol, `box-${Date.now().toString(36)}-${boxCounter++}`, newBoxLabel(ed.boxLabel, m.modalities.find((x) => x.id === layerId)?.labels));
        ed.selectedBoxId = drag.kind === 'draw' ? null : drag.box.id;
        this.#box = { drag, layerId, revert: null, current: null };
      }
    }
  }

  move(e: PointerEvent): void {
    const ed = this.editor;
    const p = this.#dab(e);
    const showsCursor = (ed.tool === 'brush' || ed.tool === 'eraser' || ed.tool === 'mask') && !isOutputOnly(ed.manifest, ed.activeId);
    this.canvas.setCursor(p.x, p.y, showsCursor ? this.#size(p.pressure) : null);
    if (this.#stroke) {
      const settings = { size: ed.brush.size, hardness: ed.brush.hardness, opacity: 1, spacing: BRUSH_SPACING, color: [0] };
      const { dabs, carry } = dabsAlong(this.#stroke.last, p, settings, this.#stroke.carry);
      for (const dab of dabs) if (!this.#dabAt(ed.activeId, dab, this.#stroke.erase)) return this.#endStroke();
      this.#stroke = { ...this.#stroke, last: p, carry };
      this.#lastEnd.set(ed.activeId, p);
      return;
    }
    const g = this.#gradient;
    if (g) {
      g.revert?.();
      g.revert = null;
      g.bx = p.x;
      g.by = p.y;
      try {
        const update = gradientUpdate(ed.store.state, g.layerId, { x: g.ax, y: g.ay, value: ed.value }, { x: g.bx, y: g.by, value: ed.valueEnd });
        if (update) g.revert = ed.store.applyPreview(update);
      } catch (error) {
        ed.fail(error);
        this.#gradient = null;
      }
      return;
    }
    const shape = this.#shape;
    if (shape) {
      if (shape.kind === 'lasso') shape.points.push({ x: p.x, y: p.y });
      else shape.points = [shape.points[0] ?? p, { x: p.x, y: p.y }];
      shape.revert?.();
      shape.revert = null;
      try {
        const update = this.#shapeUpdate(shape);
        if (update) shape.revert = ed.store.applyPreview(update);
      } catch (error) {
        ed.fail(error);
        this.#shape = null;
      }
      return;
    }
    const box = this.#box;
    if (box) {
      const m = ed.manifest;
      box.revert?.();
      box.current = boxDuringDrag(box.drag, p.x / m.width, p.y / m.height);
      try {
        box.revert = ed.store.applyPreview(setBoxes(ed.store.state, box.layerId, boxesWith(boxesOf(ed.store.state, box.layerId), box.current), 'Box preview'));
      } catch (error) {
        ed.fail(error);
        this.#box = null;
      }
    }
  }

  up(): void {
    this.#endStroke();
    const shape = this.#shape;
    this.#shape = null;
    if (shape) {
      shape.revert?.();
      this.editor.run(() => this.#shapeUpdate(shape));
    }
    const g = this.#gradient;
    this.#gradient = null;
    if (g) {
      g.revert?.();
      const ed = this.editor;
      if (Math.hypot(g.bx - g.ax, g.by - g.ay) >= 1) ed.run((doc) => gradientUpdate(doc, g.layerId, { x: g.ax, y: g.ay, value: ed.value }, { x: g.bx, y: g.by, value: ed.valueEnd }));
    }
    const box = this.#box;
    this.#box = null;
    if (!box) return;
    box.revert?.();
    const next = box.current;
    if (!next || (box.drag.kind === 'draw' && isTooSmall(next))) return;
    const label = box.drag.kind === 'draw' ? 'Draw box' : box.drag.kind === 'move' ? 'Move box' : 'Resize box';
    if (this.editor.run((doc) => setBoxes(doc, box.layerId, boxesWith(boxesOf(doc, box.layerId), next), label))) this.editor.selectedBoxId = next.id;
  }

  /** The shape being dragged as a fill, or null while it is still a point. */
  #shapeUpdate(s: { layerId: string; kind: 'rect' | 'ellipse' | 'lasso'; points: Point[] }): ReturnType<typeof shapeUpdate> {
    const [a, b] = s.points;
    if (!a || !b) return null;
    const shape: Shape = s.kind === 'lasso' ? { kind: 'polygon', points: s.points } : { kind: s.kind, a, b };
    return shapeUpdate(this.editor.store.state, s.layerId, shape, this.editor.paint, this.editor.brush.snap);
  }

  leave(): void {
    this.canvas.setCursor(0, 0, null);
  }

  #endStroke(): void {
    if (!this.#stroke) return;
    this.#stroke = null;
    this.editor.endStroke();
  }

  #dabAt(layerId: string, dab: Dab, erase: boolean): boolean {
    const ed = this.editor;
    if (ed.tool === 'brush' || ed.tool === 'eraser') this.#lastEnd.set(layerId, dab);
    if (ed.tool === 'mask') {
      ed.run((doc) => maskDabUpdate(doc, layerId, dab.x, dab.y, this.#size(dab.pressure), erase));
      return ed.error === '';
    }
    ed.run((doc) => dabUpdate(doc, layerId, dab, ed.paint, erase));
    return ed.error === '';
  }

  #size(pressure: number): number {
    return Math.max(1, this.editor.brush.size * pressure);
  }

  /** Mouse and touch press at full pressure; pens report theirs when pressure is on. */
  #dab(e: PointerEvent): Dab {
    const p = this.canvas.toDocument(e.clientX, e.clientY);
    const pressure = e.pointerType === 'pen' && this.editor.brush.pressure ? Math.max(0.05, e.pressure) : 1;
    return { x: p.x, y: p.y, pressure };
  }
}
