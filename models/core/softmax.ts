/** Numerically stable softmax helpers on Float32Array rows (max subtracted first). */

/** Largest value of a row (-Infinity for an all -Infinity row). */
export function rowMax(row: Float32Array): number {
  let m = -Infinity;
  for (let i = 0; i < row.length; i++) {
    const v = row[i] as number;
    if (v > m) m = v;
  }
  return m;
}

/** Index of the largest value; the lowest index wins ties. */
export function argmax(row: Float32Array): number {
  let best = 0;
  let m = -Infinity;
  for (let i = 0; i < row.length; i++) {
    const v = row[i] as number;
    if (v > m) {
      m = v;
      best = i;
    }
  }
  return best;
}

/**
 * Writes softmax(row / temperature) into `out` (may be `row` itself).
 * -Infinity entries get probability 0. Sums in float64.
 */
export function softmaxInto(row: Float32Array, out: Float32Array, temperature = 1): Float32Array {
  const m = rowMax(row);
  let sum = 0;
  for (let i = 0; i < row.length; i++) {
    const e = Math.exp(((row[i] as number) - m) / temperature);
    out[i] = e;
    sum += e;
  }
  const inv = 1 / sum;
  for (let i = 0; i < row.length; i++) out[i] = (out[i] as number) * inv;
  return out;
}

/** Allocating softmax, for tests and cold paths. */
export function softmax(row: Float32Array, temperature = 1): Float32Array {
  return softmaxInto(row, new Float32Array(row.length), temperature);
}

/** log-softmax(row) written into `out` (may be `row`). */
export function logSoftmaxInto(row: Float32Array, out: Float32Array): Float32Array {
  const m = rowMax(row);
  let sum = 0;
  for (let i = 0; i < row.length; i++) sum += Math.exp((row[i] as number) - m);
  const logZ = m + Math.log(sum);
  for (let i = 0; i < row.length; i++) out[i] = (row[i] as number) - logZ;
  return out;
}
