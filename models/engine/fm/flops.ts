/**
 * Multiply-accumulate counts of the FM graphs (×2 = FLOPs), from the
 * architecture (reference §1.3): pre-norm blocks with attention (q, k, v, out
 * projections) and a SwiGLU MLP of hidden int(8·d/3); decoder blocks add
 * cross-attention over the context. Used by the benchmark to say what share
 * of the machine's matmul throughput sampling achieves. Norms and softmax
 * are left out: they are not matmuls.
 */
export interface FmShape {
  readonly dim: number;
  readonly encoderDepth: number;
  readonly decoderDepth: number;
}

const mlp = (d: number): number => 3 * d * Math.floor((8 * d) / 3);

export function encoderFlops(s: FmShape, batch: number, n: number): number {
  const d = s.dim;
  const perLayer = n * (4 * d * d + mlp(d)) + 2 * n * n * d;
  // + decoder_proj_context (d×d) on every token.
  return 2 * batch * (s.encoderDepth * perLayer + n * d * d);
}

export function decoderFlops(s: FmShape, batch: number, m: number, n: number): number {
  const d = s.dim;
  const selfAttn = m * 4 * d * d + 2 * m * m * d;
  const crossAttn = m * 2 * d * d + n * 2 * d * d + 2 * m * n * d;
  return 2 * batch * s.decoderDepth * (selfAttn + crossAttn + m * mlp(d));
}

export function headFlops(s: FmShape, batch: number, m: number, vocab: number): number {
  return 2 * batch * m * s.dim * vocab;
}

/** Incremental decoder: the cross-attention K/V of a context, once per sequence. */
export function contextKvFlops(s: FmShape, batch: number, n: number): number {
  return 2 * batch * s.decoderDepth * n * 2 * s.dim * s.dim;
}

/** Incremental decoder: m new rows attending to past + m rows and to n context keys. */
export function decoderStepFlops(s: FmShape, batch: number, m: number, past: number, n: number): number {
  const d = s.dim;
  const selfAttn = m * 4 * d * d + 2 * m * (past + m) * d;
  const crossAttn = m * 2 * d * d + 2 * m * n * d;
  return 2 * batch * s.decoderDepth * (selfAttn + crossAttn + m * mlp(d));
}
