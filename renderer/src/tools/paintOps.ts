// Pointer intent → document Update, per layer kind. Pure: reads the document, returns an
// Update (or null when nothing would change) for DocumentStore.apply.
import {
  CommandError,
  paintPixels,
  setMask,
  tokenCount,
  UNLABELED_CLASS,
  type DocumentState,
  type Layer,
  type Rgb,
  type Update,
} from '../document';
import { fillShape, floodFill, linearGradient, snapShape, stampClassDab, stampDab, tokenAtPixel, type BrushSettings, type Dab, type GradientStop, type RasterEdit, type Shape } from '.';
import { isOutputOnly } from './toolIds';

export interface PaintSettings {
  /** Diameter in document pixels. */
  readonly size: number;
  readonly hardness: number;
  readonly opacity: number;
  /** Colour for three-channel layers (RGB, normals). */
  readonly rgb: Rgb;
  /** Value for one-channel layers (depth: 255 = near; edges: 255 = edge). */
  readonly value: number;
  /** Class index for segmentation layers. */
  readonly classIndex: number;
}

export const BRUSH_SPACING = 0.15;

function rasterLayer(doc: DocumentState, layerId: string): Layer {
  const layer = doc.layers.get(layerId);
  if (!layer) throw new CommandError(`no layer "${layerId}"`);
  if (layer.content.kind !== 'image' && layer.content.kind !== 'segmentation') {
    throw new CommandError(`${layerId} is not a pixel layer; pick RGB, depth, normals, edges or segmentation`);
  }
  if (layer.locked) throw new CommandError(`${layerId} is locked`);
  refuseOutputOnly(doc, layerId);
  return layer;
}

/** Tools never edit a layer the model only makes (Objects (SAM)); its generated results still land (they are not tool edits). */
function refuseOutputOnly(doc: DocumentState, layerId: string): void {
  if (isOutputOnly(doc.manifest, layerId)) throw new CommandError(`${layerId} is made by the model; nothing to paint`);
}

/** The values one stroke writes, per channel count. Erasing writes the layer's empty value. */
export function paintValue(layer: Layer, settings: PaintSettings, erase: boolean): number[] {
  if (layer.content.kind === 'segmentation') return [erase ? UNLABELED_CLASS : settings.classIndex];
  const channels = layer.content.kind === 'image' ? layer.content.plane.channels : 0;
  if (channels === 1) return [erase ? 0 : settings.value];
  return erase ? [0, 0, 0] : [settings.rgb[0], settings.rgb[1], settings.rgb[2]];
}

export function brushSettings(layer: Layer, settings: PaintSettings, erase: boolean): BrushSettings {
  return { size: settings.size, hardness: settings.hardness, opacity: settings.opacity, spacing: BRUSH_SPACING, color: paintValue(layer, settings, erase) };
}

function toUpdate(doc: DocumentState, layerId: string, edit: RasterEdit | null, label: string): Update | null {
  return edit ? paintPixels(doc, layerId, edit.rect, edit.after, label) : null;
}

/** One dab of the brush or eraser. Segmentation dabs are hard-edged class writes. */
export function dabUpdate(doc: DocumentState, layerId: string, dab: Dab, settings: PaintSettings, erase: boolean): Update | null {
  const layer = rasterLayer(doc, layerId);
  const label = erase ? 'Erase' : 'Paint';
  const c = layer.content;
  if (c.kind === 'segmentation') {
    const size = Math.max(1, settings.size * Math.min(1, Math.max(0, dab.pressure)));
    return toUpdate(doc, layerId, stampClassDab(c.plane, dab.x, dab.y, size, paintValue(layer, settings, erase)[0] ?? UNLABELED_CLASS), label);
  }
  if (c.kind !== 'image') return null;
  return toUpdate(doc, layerId, stampDab(c.plane, dab, brushSettings(layer, settings, erase)), label);
}

export function fillUpdate(doc: DocumentState, layerId: string, x: number, y: number, settings: PaintSettings, tolerance: number): Update | null {
  const layer = rasterLayer(doc, layerId);
  const c = layer.content;
  if (c.kind !== 'image' && c.kind !== 'segmentation') return null;
  // Class maps fill exact matches only: a tolerance would swallow neighbouring classes.
  const tol = c.kind === 'segmentation' ? 0 : tolerance;
  return toUpdate(doc, layerId, floodFill(c.plane, x, y, paintValue(layer, settings, false), tol), 'Fill');
}

/** A linear ramp over a one-channel layer (depth: near → far), from `a` to `b`. */
export function gradientUpdate(doc: DocumentState, layerId: string, a: GradientStop, b: GradientStop): Update | null {
  const layer = rasterLayer(doc, layerId);
  const c = layer.content;
  if (c.kind !== 'image' || c.plane.channels !== 1) throw new CommandError('The gradient works on one-channel layers (depth, edges)');
  return toUpdate(doc, layerId, linearGradient(c.plane, a, b), 'Gradient');
}

/** Adds (or with `erase` removes) the tokens under a round dab to the layer's region mask. */
export function maskDabUpdate(doc: DocumentState, layerId: string, x: number, y: number, size: number, erase: boolean): Update | null {
  const layer = doc.layers.get(layerId);
  if (!layer) throw new CommandError(`no layer "${layerId}"`);
  refuseOutputOnly(doc, layerId);
  const m = doc.manifest;
  const grid = { width: m.width, height: m.height, cols: m.tokenCols, rows: m.tokenRows };
  const mask = layer.mask ? layer.mask.slice() : new Uint8Array(tokenCount(m));
  const r = Math.max(0.5, size / 2);
  let changed = false;
  for (let py = Math.floor(y - r); py <= Math.ceil(y + r); py++) {
    for (let px = Math.floor(x - r); px <= Math.ceil(x + r); px++) {
      if (Math.hypot(px + 0.5 - x, py + 0.5 - y) > r) continue;
      const cell = tokenAtPixel(grid, px, py);
      if (!cell) continue;
      const i = cell.row * grid.cols + cell.col;
      const next = erase ? 0 : 1;
      if (mask[i] !== next) {
        mask[i] = next;
        changed = true;
      }
    }
  }
  if (!changed) return null;
  const empty = mask.every((v) => v === 0);
  return setMask(doc, layerId, empty ? null : mask, erase ? 'Shrink region' : 'Mask region');
}

/** A rectangle, ellipse or lasso filled with the class, value or colour (optionally snapped to tokens). */
export function shapeUpdate(doc: DocumentState, layerId: string, shape: Shape, settings: PaintSettings, snap: boolean): Update | null {
  const layer = rasterLayer(doc, layerId);
  const c = layer.content;
  if (c.kind !== 'image' && c.kind !== 'segmentation') return null;
  const m = doc.manifest;
  const s = snap ? snapShape(shape, m.width, m.height, m.tokenCols, m.tokenRows) : shape;
  const label = shape.kind === 'rect' ? 'Rectangle' : shape.kind === 'ellipse' ? 'Ellipse' : 'Lasso fill';
  return toUpdate(doc, layerId, fillShape(c.plane, s, paintValue(layer, settings, false)), label);
}
