/**
 * 4M's fixed sin-cos position tables (reference §1.5), computed in float32
 * step by step as the official PyTorch code does, so a package that stores the
 * tables in float16 still runs with the exact float32 values it was trained with.
 */

/** ω_k = 1 / 10000^(k/n), each step rounded to float32. */
function omegas(n: number, temperature: number): Float32Array {
  const out = new Float32Array(n);
  for (let k = 0; k < n; k++) out[k] = Math.fround(1 / Math.fround(temperature ** Math.fround(k / n)));
  return out;
}

/** (rows·cols, dim): [sin(r·ω), cos(r·ω), sin(c·ω), cos(c·ω)], the ROW index in the first half. */
export function sincos2d(rows: number, cols: number, dim: number, temperature = 10000): Float32Array {
  if (dim % 4 !== 0) throw new Error(`a 2-D sin-cos table needs a width divisible by 4, got ${dim}`);
  const q = dim / 4;
  const w = omegas(q, temperature);
  const out = new Float32Array(rows * cols * dim);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const o = (r * cols + c) * dim;
      for (let k = 0; k < q; k++) {
        const a = Math.fround(r * (w[k] as number));
        const b = Math.fround(c * (w[k] as number));
        out[o + k] = Math.sin(a);
        out[o + q + k] = Math.cos(a);
        out[o + 2 * q + k] = Math.sin(b);
        out[o + 3 * q + k] = Math.cos(b);
      }
    }
  }
  return out;
}

/** (length, dim): [sin(p·ω), cos(p·ω)]. */
export function sincos1d(length: number, dim: number, temperature = 10000): Float32Array {
  if (dim % 2 !== 0) throw new Error(`a 1-D sin-cos table needs an even width, got ${dim}`);
  const half = dim / 2;
  const w = omegas(half, temperature);
  const out = new Float32Array(length * dim);
  for (let p = 0; p < length; p++) {
    for (let k = 0; k < half; k++) {
      const a = Math.fround(p * (w[k] as number));
      out[p * dim + k] = Math.sin(a);
      out[p * dim + half + k] = Math.cos(a);
    }
  }
  return out;
}

/** Largest |a − b| (a and b of equal length). */
export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}
