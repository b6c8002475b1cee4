/** Class-map agreement, as the recipe's evaluation computes it (fourm_recipe/tokenizers/metrics.py). */

/**
 * Mean IoU over the classes present in either map (a class absent from both
 * has no union and is left out, so a scene without cones is not scored on cones).
 * Pixels where `unscored` is non-zero (a void band, ./border-band.ts) count for no class;
 * NaN when no class is left to score.
 */
export function meanIoU(pred: ArrayLike<number>, truth: ArrayLike<number>, numClasses: number, unscored?: ArrayLike<number>): number {
  sameLength(pred, truth);
  if (unscored && unscored.length !== truth.length) throw new RangeError(`unscored mask has ${unscored.length} values, the maps ${truth.length}`);
  const inter = new Float64Array(numClasses);
  const union = new Float64Array(numClasses);
  const bump = (counts: Float64Array, c: number) => {
    if (c < numClasses) counts[c] = (counts[c] as number) + 1;
  };
  for (let i = 0; i < pred.length; i++) {
    if (unscored?.[i]) continue;
    const p = pred[i] as number;
    const t = truth[i] as number;
    bump(union, p);
    if (p === t) bump(inter, p);
    else bump(union, t);
  }
  let sum = 0;
  let count = 0;
  for (let c = 0; c < numClasses; c++) {
    if ((union[c] as number) > 0) {
      sum += (inter[c] as number) / (union[c] as number);
      count++;
    }
  }
  return count === 0 ? Number.NaN : sum / count;
}

/** Fraction of pixels whose class agrees. */
export function pixelAccuracy(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  sameLength(pred, truth);
  let same = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === truth[i]) same++;
  return same / pred.length;
}

export function sameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new RangeError(`maps differ in size: ${a.length} vs ${b.length} values`);
  if (a.length === 0) throw new RangeError('empty maps');
}

/**
 * Pixel accuracy inside the true objects (classes from `firstObject` on; sky and ground come first),
 * as the recipe's object_kind_accuracy; undefined for a scene without object pixels.
 */
export function objectKindAccuracy(pred: ArrayLike<number>, truth: ArrayLike<number>, firstObject = 2): number | undefined {
  sameLength(pred, truth);
  let n = 0;
  let same = 0;
  for (let i = 0; i < pred.length; i++) {
    if ((truth[i] as number) < firstObject) continue;
    n++;
    if (pred[i] === truth[i]) same++;
  }
  return n === 0 ? undefined : same / n;
}
