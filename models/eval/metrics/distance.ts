/**
 * Fréchet distance between two sets of picture features (the judge's pooled bottleneck), each
 * summarized as a Gaussian: |μa − μb|² + tr(Ca + Cb − 2 (Ca^½ Cb Ca^½)^½). The matrix square roots
 * come from symmetric eigendecompositions (cyclic Jacobi), so no general sqrtm is needed.
 * With few pictures the estimate is biased upward; compare only sets of the same size.
 */

export interface Gaussian {
  readonly dim: number;
  readonly mean: Float64Array;
  /** Row-major dim × dim sample covariance (n − 1 in the denominator). */
  readonly cov: Float64Array;
}

export function gaussianOf(features: readonly ArrayLike<number>[]): Gaussian {
  const n = features.length;
  if (n < 2) throw new RangeError(`need at least 2 feature vectors, got ${n}`);
  const dim = features[0]?.length ?? 0;
  const mean = new Float64Array(dim);
  for (const f of features) {
    if (f.length !== dim) throw new RangeError(`feature vectors differ in length: ${f.length} vs ${dim}`);
    for (let i = 0; i < dim; i++) mean[i] = (mean[i] as number) + (f[i] as number) / n;
  }
  const cov = new Float64Array(dim * dim);
  for (const f of features) {
    for (let i = 0; i < dim; i++) {
      const di = (f[i] as number) - (mean[i] as number);
      for (let j = i; j < dim; j++) cov[i * dim + j] = (cov[i * dim + j] as number) + di * ((f[j] as number) - (mean[j] as number));
    }
  }
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      const v = (cov[i * dim + j] as number) / (n - 1);
      cov[i * dim + j] = v;
      cov[j * dim + i] = v;
    }
  }
  return { dim, mean, cov };
}

export function frechetDistance(a: Gaussian, b: Gaussian): number {
  if (a.dim !== b.dim) throw new RangeError(`feature sizes differ: ${a.dim} vs ${b.dim}`);
  const d = a.dim;
  let meanTerm = 0;
  for (let i = 0; i < d; i++) meanTerm += ((a.mean[i] as number) - (b.mean[i] as number)) ** 2;
  const rootA = symmetricFunction(a.cov, d, (x) => Math.sqrt(Math.max(x, 0)));
  const m = multiply(multiply(rootA, b.cov, d), rootA, d);
  symmetrize(m, d);
  const { values } = symmetricEigen(m, d);
  let trRoot = 0;
  for (const v of values) trRoot += Math.sqrt(Math.max(v, 0));
  let tr = 0;
  for (let i = 0; i < d; i++) tr += (a.cov[i * d + i] as number) + (b.cov[i * d + i] as number);
  return Math.max(0, meanTerm + tr - 2 * trRoot);
}

/** Eigenvalues and eigenvectors (columns of `vectors`, row-major) of a symmetric matrix, by cyclic Jacobi. */
export function symmetricEigen(matrix: ArrayLike<number>, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const x = (a[i * n + j] as number) ** 2;
        total += x;
        if (i !== j) off += x;
      }
    }
    if (off <= 1e-22 * Math.max(total, 1e-300)) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q] as number;
        if (apq === 0) continue;
        const app = a[p * n + p] as number;
        const aqq = a[q * n + q] as number;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p] as number;
          const akq = a[k * n + q] as number;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k] as number;
          const aqk = a[q * n + k] as number;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p] as number;
          const vkq = v[k * n + q] as number;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i] as number;
  return { values, vectors: v };
}

/** f(M) for symmetric M: V f(Λ) Vᵀ. */
function symmetricFunction(matrix: ArrayLike<number>, n: number, f: (x: number) => number): Float64Array {
  const { values, vectors } = symmetricEigen(matrix, n);
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const fk = f(values[k] as number);
    if (fk === 0) continue;
    for (let i = 0; i < n; i++) {
      const vik = (vectors[i * n + k] as number) * fk;
      for (let j = 0; j < n; j++) out[i * n + j] = (out[i * n + j] as number) + vik * (vectors[j * n + k] as number);
    }
  }
  return out;
}

function multiply(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k] as number;
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] = (out[i * n + j] as number) + aik * (b[k * n + j] as number);
    }
  }
  return out;
}

function symmetrize(m: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = ((m[i * n + j] as number) + (m[j * n + i] as number)) / 2;
      m[i * n + j] = v;
      m[j * n + i] = v;
    }
  }
}
