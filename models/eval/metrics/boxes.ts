/**
 * Boxes → RGB: does each box hold its kind? A box counts when at least MIN_BOX_SHARE of its pixels
 * are read as its label's class (a sphere fills π/4 of its box, a cone about half; occlusion by a
 * nearer object lowers it on real pictures too, which the real-picture column shows).
 */
export const MIN_BOX_SHARE = 0.25;

export interface LabelledBox {
  /** Normalized [x0, y0, x1, y1] in 0…1. */
  readonly box: readonly [number, number, number, number];
  readonly label: string;
}

/** Share of the box's pixels whose class is `classId`. */
export function boxClassShare(classMap: ArrayLike<number>, size: number, box: LabelledBox['box'], classId: number): number {
  if (classMap.length !== size * size) throw new RangeError(`class map has ${classMap.length} values for ${size}×${size}`);
  const [x0, y0, x1, y1] = box.map((v) => Math.min(size, Math.max(0, Math.round(v * size)))) as [number, number, number, number];
  let n = 0;
  let hit = 0;
  for (let y = y0; y < Math.max(y1, y0 + 1) && y < size; y++) {
    for (let x = x0; x < Math.max(x1, x0 + 1) && x < size; x++) {
      n++;
      if (classMap[y * size + x] === classId) hit++;
    }
  }
  return n === 0 ? 0 : hit / n;
}

export function boxHits(classMap: ArrayLike<number>, size: number, boxes: readonly LabelledBox[], classNames: readonly string[]): boolean[] {
  return boxes.map((b) => {
    const id = classNames.indexOf(b.label);
    if (id < 0) throw new RangeError(`box label "${b.label}" is not a class (${classNames.join(', ')})`);
    return boxClassShare(classMap, size, b.box, id) >= MIN_BOX_SHARE;
  });
}
