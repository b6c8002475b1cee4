// Shape fills for layouts: a rectangle, an ellipse or a polygon (lasso) filled with one value
// (a class on segmentation, a depth value, a colour). Pure: returns a RasterEdit.
import { readRect } from '../document/plane';
import type { Plane } from '../document/types';
import type { RasterEdit } from './raster';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export type Shape =
  | { readonly kind: 'rect'; readonly a: Point; readonly b: Point }
  | { readonly kind: 'ellipse'; readonly a: Point; readonly b: Point }
  | { readonly kind: 'polygon'; readonly points: readonly Point[] };

/** The shape's corners snapped outward to the token grid (cols × rows cells over the plane). */
export function snapShape(shape: Shape, width: number, height: number, cols: number, rows: number): Shape {
  if (shape.kind === 'polygon') return shape;
  const cw = width / cols;
  const ch = height / rows;
  const x0 = Math.min(shape.a.x, shape.b.x);
  const x1 = Math.max(shape.a.x, shape.b.x);
  const y0 = Math.min(shape.a.y, shape.b.y);
  const y1 = Math.max(shape.a.y, shape.b.y);
  return { kind: shape.kind, a: { x: Math.floor(x0 / cw) * cw, y: Math.floor(y0 / ch) * ch }, b: { x: Math.ceil(x1 / cw) * cw, y: Math.ceil(y1 / ch) * ch } };
}

/** Whether the pixel centre (px + .5, py + .5) lies inside the shape (polygons: even-odd rule). */
function inside(shape: Shape, px: number, py: number): boolean {
  const x = px + 0.5;
  const y = py + 0.5;
  if (shape.kind === 'rect') {
    return x >= Math.min(shape.a.x, shape.b.x) && x <= Math.max(shape.a.x, shape.b.x) && y >= Math.min(shape.a.y, shape.b.y) && y <= Math.max(shape.a.y, shape.b.y);
  }
  if (shape.kind === 'ellipse') {
    const cx = (shape.a.x + shape.b.x) / 2;
    const cy = (shape.a.y + shape.b.y) / 2;
    const rx = Math.abs(shape.b.x - shape.a.x) / 2;
    const ry = Math.abs(shape.b.y - shape.a.y) / 2;
    if (rx <= 0 || ry <= 0) return false;
    return ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
  }
  let hit = false;
  const pts = shape.points;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const pi = pts[i] as Point;
    const pj = pts[j] as Point;
    if (pi.y > y !== pj.y > y && x < ((pj.x - pi.x) * (y - pi.y)) / (pj.y - pi.y) + pi.x) hit = !hit;
  }
  return hit;
}

function bounds(shape: Shape): { x0: number; y0: number; x1: number; y1: number } {
  const pts = shape.kind === 'polygon' ? shape.points : [shape.a, shape.b];
  return {
    x0: Math.min(...pts.map((p) => p.x)),
    y0: Math.min(...pts.map((p) => p.y)),
    x1: Math.max(...pts.map((p) => p.x)),
    y1: Math.max(...pts.map((p) => p.y)),
  };
}

/** Fills the shape with `value` (one byte per channel); null when it covers no pixel. */
export function fillShape(plane: Plane, shape: Shape, value: readonly number[]): RasterEdit | null {
  if (shape.kind === 'polygon' && shape.points.length < 3) return null;
  const b = bounds(shape);
  const x = Math.max(0, Math.floor(b.x0));
  const y = Math.max(0, Math.floor(b.y0));
  const w = Math.min(plane.width, Math.ceil(b.x1)) - x;
  const h = Math.min(plane.height, Math.ceil(b.y1)) - y;
  if (w <= 0 || h <= 0) return null;
  const rect = { x, y, w, h };
  const after = readRect(plane, rect);
  const ch = plane.channels;
  let any = false;
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      if (!inside(shape, x + i, y + j)) continue;
      any = true;
      for (let c = 0; c < ch; c++) after[(j * w + i) * ch + c] = value[c] ?? 0;
    }
  }
  return any ? { rect, after } : null;
}
