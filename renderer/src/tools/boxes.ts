// Bounding-box editing maths in normalized [0,1] coordinates. Later boxes draw on top,
// so hit-testing walks the list backwards.
import type { Box } from '../document/types';

export type BoxHandle = 'nw' | 'n' | 'ne' | 'e' | 'se' | 's' | 'sw' | 'w';
export type BoxPart = BoxHandle | 'inside';

export interface BoxHit {
  readonly id: string;
  readonly part: BoxPart;
}

/** `tolerance` is the handle grab radius in normalized units (e.g. 6 px / canvas width). */
export function hitTestBoxes(boxes: readonly Box[], x: number, y: number, tolerance: number): BoxHit | null {
  for (let i = boxes.length - 1; i >= 0; i--) {
    const b = boxes[i];
    if (!b) continue;
    const part = hitBox(b, x, y, tolerance);
    if (part) return { id: b.id, part };
  }
  return null;
}

function hitBox(b: Box, x: number, y: number, tol: number): BoxPart | null {
  if (x < b.x0 - tol || x > b.x1 + tol || y < b.y0 - tol || y > b.y1 + tol) return null;
  const nearW = Math.abs(x - b.x0) <= tol;
  const nearE = Math.abs(x - b.x1) <= tol;
  const nearN = Math.abs(y - b.y0) <= tol;
  const nearS = Math.abs(y - b.y1) <= tol;
  const v = nearN ? 'n' : nearS ? 's' : '';
  const h = nearW ? 'w' : nearE ? 'e' : '';
  const handle = `${v}${h}`;
  if (handle) return handle as BoxHandle;
  return x >= b.x0 && x <= b.x1 && y >= b.y0 && y <= b.y1 ? 'inside' : null;
}

/** Moves by (dx, dy), keeping the size and staying inside the image. */
export function moveBox(b: Box, dx: number, dy: number): Box {
  const w = b.x1 - b.x0;
  const h = b.y1 - b.y0;
  const x0 = clamp(b.x0 + dx, 0, 1 - w);
  const y0 = clamp(b.y0 + dy, 0, 1 - h);
  return { ...b, x0, y0, x1: x0 + w, y1: y0 + h };
}

/** Drags `handle` to (x, y). Crossing the opposite edge stops at `minSize` instead of flipping. */
export function resizeBox(b: Box, handle: BoxHandle, x: number, y: number, minSize = 0.01): Box {
  let { x0, y0, x1, y1 } = b;
  const px = clamp(x, 0, 1);
  const py = clamp(y, 0, 1);
  if (handle.includes('w')) x0 = Math.min(px, x1 - minSize);
  if (handle.includes('e')) x1 = Math.max(px, x0 + minSize);
  if (handle.includes('n')) y0 = Math.min(py, y1 - minSize);
  if (handle.includes('s')) y1 = Math.max(py, y0 + minSize);
  return { ...b, x0: clamp(x0, 0, 1), y0: clamp(y0, 0, 1), x1: clamp(x1, 0, 1), y1: clamp(y1, 0, 1) };
}

export function relabelBox(boxes: readonly Box[], id: string, label: string): Box[] {
  return boxes.map((b) => (b.id === id ? { ...b, label } : b));
}

/**
 * The label a new box gets: the one chosen, unless the layer's model knows only its own labels
 * (an official model's COCO classes) and the choice is not one of them; then the first it knows.
 */
export function newBoxLabel(chosen: string, labels: readonly string[] | undefined): string {
  if (!labels?.length) return chosen;
  const wanted = chosen.trim().toLowerCase().split(/\s+/).join(' ');
  return labels.includes(wanted) ? wanted : (labels[0] as string);
}

export function replaceBox(boxes: readonly Box[], next: Box): Box[] {
  return boxes.map((b) => (b.id === next.id ? next : b));
}

/** A box from a drag between two points, in any direction. */
export function boxFromDrag(id: string, label: string, ax: number, ay: number, bx: number, by: number): Box {
  return {
    id,
    label,
    x0: clamp(Math.min(ax, bx), 0, 1),
    y0: clamp(Math.min(ay, by), 0, 1),
    x1: clamp(Math.max(ax, bx), 0, 1),
    y1: clamp(Math.max(ay, by), 0, 1),
  };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
