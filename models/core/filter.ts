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
 * Nucleus filter. Visits tokens in descending logit order (a lazy max-heap, so
 * only the kept tokens are ordered) and keeps each token while the mass before
 * it is <= topP; the top-1 is always kept. This is the reference's
 * "remove cum > p, shifted right by one" rule.
 * `heap` must hold row.length ints; `keep` row.length bytes.
 */
export function applyTopP(row: Float32Array, topP: number, heap: Int32Array, keep: Uint8Array): void {
  if (!(topP > 0) || topP >= 1) return;
  const n = row.length;
  const m = rowMax(row);
  let z = 0;
  for (let i = 0; i < n; i++) z += Math.exp((row[i] as number) - m);
  let size = 0;
  for (let i = 0; i < n; i++) if ((row[i] as number) > -Infinity) heap[size++] = i;
  for (let i = (size >>> 1) - 1; i >= 0; i--) siftDown(heap, size, i, row);
  keep.fill(0, 0, n);
  let cum = 0;
  while (size > 0) {
    const top = heap[0] as number;
    if (cum > topP) break; // first index with mass-before > p and all later ones are removed
    keep[top] = 1;
    cum += Math.exp((row[top] as number) - m) / z;
    size--;
    heap[0] = heap[size] as number;
    siftDown(heap, size, 0, row);
  }
  for (let i = 0; i < n; i++) if (keep[i] === 0) row[i] = -Infinity;
}

/** Max-heap by logit value; the lower index wins ties so the order is deterministic. */
function siftDown(heap: Int32Array, size: number, start: number, row: Float32Array): void {
  let i = start;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= size) return;
    const r = l + 1;
    let best = l;
    if (r < size && before(heap[r] as number, heap[l] as number, row)) best = r;
    if (!before(heap[best] as number, heap[i] as number, row)) return;
    const t = heap[i] as number;
    heap[i] = heap[best] as number;
    heap[best] = t;
    i = best;
  }
}

function before(a: number, b: number, row: Float32Array): boolean {
  const va = row[a] as number;
  const vb = row[b] as number;
  return va > vb || (va === vb && a < b);
}
