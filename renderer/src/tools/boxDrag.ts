// What a pointer drag on the boxes layer does: draw a new box, move one, or resize one.
import type { Box } from '../document';
import { boxFromDrag, hitTestBoxes, moveBox, resizeBox, type BoxHandle } from '.';

export type BoxDrag =
  | { readonly kind: 'draw'; readonly id: string; readonly label: string; readonly ax: number; readonly ay: number }
  | { readonly kind: 'move'; readonly box: Box; readonly ax: number; readonly ay: number }
  | { readonly kind: 'resize'; readonly box: Box; readonly handle: BoxHandle };

/** Coordinates are normalized [0,1]; `tolerance` is the handle grab radius in the same units. */
export function startBoxDrag(boxes: readonly Box[], x: number, y: number, tolerance: number, newId: string, newLabel: string): BoxDrag {
  const hit = hitTestBoxes(boxes, x, y, tolerance);
  const box = hit ? boxes.find((b) => b.id === hit.id) : undefined;
  if (!hit || !box) return { kind: 'draw', id: newId, label: newLabel, ax: x, ay: y };
  if (hit.part === 'inside') return { kind: 'move', box, ax: x, ay: y };
  return { kind: 'resize', box, handle: hit.part };
}

export function boxDuringDrag(drag: BoxDrag, x: number, y: number): Box {
  switch (drag.kind) {
    case 'draw':
      return boxFromDrag(drag.id, drag.label, drag.ax, drag.ay, x, y);
    case 'move':
      return moveBox(drag.box, x - drag.ax, y - drag.ay);
    case 'resize':
      return resizeBox(drag.box, drag.handle, x, y);
  }
}

/** The layer's boxes with the dragged one in place (appended when new). */
export function boxesWith(boxes: readonly Box[], next: Box): Box[] {
  return boxes.some((b) => b.id === next.id) ? boxes.map((b) => (b.id === next.id ? next : b)) : [...boxes, next];
}

/** A drawn box smaller than this (normalized) is taken as a click, not a box. */
export const MIN_BOX_SIZE = 0.02;

export function isTooSmall(box: Box): boolean {
  return box.x1 - box.x0 < MIN_BOX_SIZE || box.y1 - box.y0 < MIN_BOX_SIZE;
}
