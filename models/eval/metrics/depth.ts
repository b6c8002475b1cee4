/** Depth accuracy against metric ground truth (both in metres), as fourm_recipe/tokenizers/metrics.py. */
import { sameLength } from './segmentation';

/** Mean |pred − truth| / truth. */
export function absRel(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  sameLength(pred, truth);
  let sum = 0;
  for (let i = 0; i < pred.length; i++) {
    const t = truth[i] as number;
    sum += Math.abs((pred[i] as number) - t) / t;
  }
  return sum / pred.length;
}

/** Fraction of pixels with max(pred/truth, truth/pred) < 1.25 (the δ1 accuracy). */
export function delta1(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  sameLength(pred, truth);
  let good = 0;
  for (let i = 0; i < pred.length; i++) {
    const p = pred[i] as number;
    const t = truth[i] as number;
    if (Math.max(p / t, t / p) < 1.25) good++;
  }
  return good / pred.length;
}
