// Pointer events on the canvas → tool actions. Strokes are one history entry each
// (beginStroke/endStroke); box drags show live as previews and record once on release.
import { setBoxes, type Box, type DocumentState } from '../document';
import { dabsAlong, newBoxLabel, type Dab } from '../tools';
import type { EditorState } from '../state/EditorState.svelte';
import { boxDuringDrag, boxesWith, isTooSmall, startBoxDrag, type BoxDrag } from '../tools/boxDrag';
import { BRUSH_SPACING, checkObjectStroke, dabUpdate, fillUpdate, gradientUpdate, maskDabUpdate, objectSpeckUpdate, objectStrokeOverLimit, shapeUpdate } from '../tools/paintOps';
import type { Point, Shape } from '../tools';
import { objectBrushMinSize } from '../tools/samObjects';
import { isObjectsLayer, isOutputOnly } from '../tools/toolIds';
import { hexColor } from './layerPixels';
import type { CanvasManager } from './CanvasManager';

const HANDLE_GRAB_PX = 7;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
let boxCounter = 0;

function boxesOf(doc: DocumentState, layerId: string): readonly Box[] {
  const c = doc.layers.get(layerId)?.content;
  return c?.kind === 'boxes' ? c.boxes : [];
}

export class PointerController {
  /** `objects`: the Objects (SAM) layer's bytes when the stroke began (what it touched is checked for specks at its end). */
  #stroke: { last: Dab; carry: number; erase: boolean; objects: { layerId: string; before: Uint8Array } | null } | null = null;
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
        const objects = isObjectsLayer(ed.manifest, layerId) ? this.#startObjects(layerId, p, erase, e.altKey) : null;
        if (objects === 'done') return;
        const from = e.shiftKey ? this.#lastEnd.get(layerId) : undefined;
        ed.beginStroke(ed.tool === 'mask' ? 'Mask region' : erase ? 'Erase' : from ? 'Line' : objects ? 'Paint object' : 'Paint');
        if (!this.#dabAt(layerId, from ?? p, erase)) {
          ed.endStroke();
          return;
        }
        this.#stroke = { last: from ?? p, carry: 0, erase, objects };
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
    const stroke = this.#stroke;
    if (!stroke) return;
    this.#stroke = null;
    const ed = this.editor;
    const objects = stroke.objects;
    // What the stroke left too small for the model to read goes, in the same undo step, and the status
    // says so; a stroke that then changed nothing leaves no undo step either. A stroke that leaves the
    // model more objects than it reads (a part apart from its object, an object cut in two) is taken back.
    let said = '';
    if (objects) {
      const { update, removed } = objectSpeckUpdate(ed.store.state, objects.layerId, objects.before);
      if (update && ed.run(() => update)) {
        said = `Removed ${removed.map((r) => `a speck of the object in ${hexColor(r.colour)} (${r.problem})`).join('; ')}: too small for the model to read`;
        const after = ed.store.state.layers.get(objects.layerId)?.content;
        if (after?.kind === 'image' && sameBytes(after.plane.data, objects.before)) {
          ed.cancelStroke();
          ed.status = said;
          return;
        }
      }
      const over = objectStrokeOverLimit(ed.store.state, objects.layerId, objects.before);
      if (over) {
        ed.cancelStroke();
        ed.fail(new Error(over));
        return;
      }
    }
    ed.endStroke();
    // After the stroke's own change, which moves the status line on from older news (lineOutlives).
    if (said) ed.status = said;
  }

  /**
   * A press on the Objects (SAM) layer: Alt with the brush picks the object under the pointer (its
   * colour, to extend it); a stroke that would start an object past the limit is refused. Else the
   * layer's bytes, to find the specks the stroke leaves.
   */
  #startObjects(layerId: string, p: Dab, erase: boolean, pick: boolean): { layerId: string; before: Uint8Array } | 'done' {
    const ed = this.editor;
    const layer = ed.store.state.layers.get(layerId);
    if (layer?.content.kind !== 'image') return 'done';
    const plane = layer.content.plane;
    if (pick && !erase) {
      const x = Math.floor(p.x);
      const y = Math.floor(p.y);
      const i = (y * plane.width + x) * 3;
      const rgb = [plane.data[i] ?? 0, plane.data[i + 1] ?? 0, plane.data[i + 2] ?? 0] as const;
      const inside = x >= 0 && y >= 0 && x < plane.width && y < plane.height && layer.sync !== 'empty';
      if (inside && rgb.some((v) => v !== 0)) {
        ed.objectRgb = rgb;
        ed.status = `Picked the object in ${hexColor(rgb)}: strokes extend it`;
      } else ed.status = 'No object there to pick (Alt-click an object to extend it)';
      return 'done';
    }
    if (!erase) {
      try {
        checkObjectStroke(ed.store.state, layerId, ed.objectRgb);
      } catch (error) {
        ed.fail(error);
        return 'done';
      }
    }
    return { layerId, before: plane.data.slice() };
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
    const ed = this.editor;
    const size = Math.max(1, ed.brush.size * pressure);
    // The object brush's dabs never go under the size of an object the model reads.
    return isObjectsLayer(ed.manifest, ed.activeId) && ed.tool !== 'mask' ? Math.max(objectBrushMinSize(ed.manifest.width, ed.manifest.height), size) : size;
  }

  /** Mouse and touch press at full pressure; pens report theirs when pressure is on. */
  #dab(e: PointerEvent): Dab {
    const p = this.canvas.toDocument(e.clientX, e.clientY);
    const pressure = e.pointerType === 'pen' && this.editor.brush.pressure ? Math.max(0.05, e.pressure) : 1;
    return { x: p.x, y: p.y, pressure };
  }
}
