/**
 * Logit filters applied to raw (untempered) logits, in the reference order:
 * top-k first, then top-p. Filtered entries become -Infinity. Rows are
 * modified in place; `scratch` buffers avoid per-row allocations.
 */
import { rowMax } from './softmax';

/**
 * Resolves a top-k setting to a token count: 0 disables, an integer >= 1 is a
 * count, a value in (0, 1) is a fraction of the vocabulary (floored, as
 * `int(top_k * V)`). Returns 0 for "no filtering".
 */
export function resolveTopK(topK: number, vocabSize: number): number {
  if (!(topK > 0)) return 0;
  const k = topK < 1 ? Math.floor(topK * vocabSize) : Math.floor(topK);
  if (k <= 0) return 0; // a fraction smaller than one token disables, like int() == 0
  return Math.min(k, vocabSize);
}

/** k-th largest value (1-based k) via quickselect on `work` (overwritten). */
export function kthLargest(values: Float32Array, k: number, work: Float32Array): number {
  const n = values.length;
  work.set(values);
  const target = k - 1; // index in descending order
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = work[(lo + hi) >>> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((work[i] as number) > pivot) i++;
      while ((work[j] as number) < pivot) j--;
      if (i <= j) {
        const t = work[i] as number;
        work[i] = work[j] as number;
        work[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return work[target] as number;
}

/** Sets logits below the k-th largest to -Infinity (ties with it are kept). */
export function applyTopK(row: Float32Array, k: number, work: Float32Array): void {
  if (k <= 0 || k >= row.length) return;
  const threshold = kthLargest(row, k, work);
  for (let i = 0; i < row.length; i++) if ((row[i] as number) < threshold) row[i] = -Infinity;
}

/**
 * Nucleus filter: visiting tokens by descending logit (ties: lower index
 * first), a token is kept while the mass before it is <= topP, so the first
 * token crossing the threshold stays and the top-1 always does. This is the
 * reference's "remove cum > p, shifted right by one" rule.
 *
 * Work is spent only where the cut can fall. Tokens below τ = (1 − topP) / 2V
 * hold less than (1 − topP) / 2 of the mass together, so the tokens above τ
 * hold more than topP and rank ahead of every token below: none below τ is
 * ever kept. Among the rest it partitions around pivots (quickselect style):
 * a block of larger tokens whose total still fits under topP is kept whole;
 * otherwise the cut lies inside it. Only the last small block is sorted.
 * `idx` needs row.length ints, `keep` row.length bytes, `probs` row.length doubles.
 *
 * Returns the number of kept tokens and leaves their indices, ascending, in
 * idx[0 … count) (for a sparse softmax); -1 when the filter is off.
 */
export function applyTopP(row: Float32Array, topP: number, idx: Int32Array, keep: Uint8Array, probs: Float64Array): number {
  if (!(topP > 0) || topP >= 1) return -1;
  const n = row.length;
  const m = rowMax(row);
  let z = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp((row[i] as number) - m);
    probs[i] = e;
    z += e;
  }
  const floor = ((1 - topP) / (2 * n)) * z;
  let size = 0;
  for (let i = 0; i < n; i++) {
    const e = probs[i] as number;
    if (e >= floor && e > 0) {
      probs[i] = e / z;
      idx[size++] = i;
    }
  }
  keep.fill(0, 0, n);
  let lo = 0;
  let hi = size;
  let cum = 0; // mass of the tokens already known to rank above idx[lo..hi)
  while (hi - lo > SMALL_BLOCK) {
    const pivot = medianOfThree(probs, idx, lo, hi);
    let j = lo;
    let mass = 0;
    for (let i = lo; i < hi; i++) {
      const t = idx[i] as number;
      if ((probs[t] as number) > pivot) {
        idx[i] = idx[j] as number;
        idx[j++] = t;
        mass += probs[t] as number;
      }
    }
    if (j === lo) break; // the pivot is the block's maximum (many ties): finish by sorting
    if (cum + mass <= topP) {
      for (let i = lo; i < j; i++) keep[idx[i] as number] = 1;
      cum += mass;
      lo = j;
    } else {
      hi = j;
    }
  }
  const rest = idx.subarray(lo, hi).sort((a, b) => (probs[b] as number) - (probs[a] as number) || a - b);
  for (let i = 0; i < rest.length && cum <= topP; i++) {
    const t = rest[i] as number;
    keep[t] = 1;
    cum += probs[t] as number;
  }
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (keep[i] === 0) row[i] = -Infinity;
    else idx[count++] = i;
  }
  return count;
}

const SMALL_BLOCK = 32;

function medianOfThree(probs: Float64Array, idx: Int32Array, lo: number, hi: number): number {
  const a = probs[idx[lo] as number] as number;
  const b = probs[idx[(lo + hi) >>> 1] as number] as number;
  const c = probs[idx[hi - 1] as number] as number;
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}
