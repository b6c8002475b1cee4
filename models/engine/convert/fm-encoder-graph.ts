/**
 * The 4M encoder as a weight-free ONNX graph over an official checkpoint
 * (reference §1.3–1.4): `x, emb [B,N,D], pad [B,N] bool → context [B,N,D]`,
 * the engine's encoder contract (context = decoder_proj_context(encoder_norm(h))
 * + emb, padded rows exactly zero). Every weight is an external-data reference
 * into the safetensors file, which must sit beside the graph file.
 */
import { basename } from 'node:path';
import type { SafetensorsHeader } from '../fm/safetensors';
import { DT, GraphBuilder, type DataType } from './onnx-writer';

export interface EncoderShape {
  readonly dim: number;
  readonly depth: number;
  readonly heads: number;
}

export class GraphBuildError extends Error {
  override name = 'GraphBuildError';
}

const DTYPES: Readonly<Record<string, DataType>> = { F32: DT.FLOAT, F16: DT.FLOAT16, BF16: DT.BFLOAT16 };
/** PyTorch's masked_fill value for float32 (-finfo.max): a blocked score, still finite. */
const BLOCKED = -3.4028234663852886e38;

/** Shared weight plumbing: external initializers, cast to float32, transposed for MatMul. */
export class CheckpointWeights {
  private readonly cache = new Map<string, string>();
  constructor(
    readonly g: GraphBuilder,
    readonly header: SafetensorsHeader,
  ) {}

  has(key: string): boolean {
    return this.header.entries.has(key);
  }

  /** The tensor as float32, shape-checked. */
  get(key: string, shape: readonly number[]): string {
    const hit = this.cache.get(key);
    if (hit) return hit;
    const e = this.header.entries.get(key);
    if (!e) throw new GraphBuildError(`${this.header.file}: tensor "${key}" is missing`);
    if (e.shape.length !== shape.length || e.shape.some((d, i) => d !== shape[i])) {
      throw new GraphBuildError(`${this.header.file}: "${key}" has shape [${e.shape.join(', ')}], expected [${shape.join(', ')}]`);
    }
    const dataType = DTYPES[e.dtype];
    if (dataType === undefined) throw new GraphBuildError(`${this.header.file}: "${key}" has dtype ${e.dtype}; expected F32, F16 or BF16`);
    const init = this.g.external({ name: key, dataType, dims: e.shape, location: basename(this.header.file), offset: e.begin, length: e.end - e.begin });
    const out = dataType === DT.FLOAT ? init : this.g.op('Cast', [init], { to: DT.FLOAT });
    this.cache.set(key, out);
    return out;
  }

  /** The stored tensors the graph reads so far (callers check that a file has no others). */
  used(): Set<string> {
    return new Set([...this.cache.keys()].filter((k) => !k.endsWith('ᵀ')));
  }

  /** A LayerNorm bias: released files keep a zero buffer; a file without it means zeros. */
  bias(key: string, dim: number): string {
    return this.has(key) ? this.get(key, [dim]) : this.g.constFloat(new Array(dim).fill(0), [dim], 'zero_bias');
  }

  /** y = x · Wᵀ (+ b when the checkpoint has one: configs with qkv_bias, proj_bias or mlp_bias) for a PyTorch Linear weight [out, in]. */
  linear(x: string, key: string, out: number, inp: number): string {
    const cached = this.cache.get(`${key}ᵀ`);
    const wt = cached ?? this.g.op('Transpose', [this.get(key, [out, inp])], { perm: [1, 0] });
    this.cache.set(`${key}ᵀ`, wt);
    const y = this.g.op('MatMul', [x, wt]);
    const biasKey = key.replace(/\.weight$/, '.bias');
    return biasKey !== key && this.has(biasKey) ? this.g.op('Add', [y, this.get(biasKey, [out])]) : y;
  }

  /** The first dimension of a stored tensor (e.g. a Linear's output width). */
  rows(key: string): number {
    const e = this.header.entries.get(key);
    if (!e) throw new GraphBuildError(`${this.header.file}: tensor "${key}" is missing`);
    return e.shape[0] as number;
  }

  layerNorm(x: string, prefix: string, dim: number): string {
    return this.g.op('LayerNormalization', [x, this.get(`${prefix}.weight`, [dim]), this.bias(`${prefix}.bias`, dim)], { axis: -1, epsilon: { float: 1e-6 } });
  }
}

/** [B,R,D] → [B,H,R,hd]. */
export function splitHeads(g: GraphBuilder, x: string, heads: number, hd: number): string {
  return g.op('Transpose', [g.op('Reshape', [x, g.constInt64([0, 0, heads, hd], [4], 'heads_shape')])], { perm: [0, 2, 1, 3] });
}

/**
 * Attention of head-split rows: q [B,H,M,hd] over k, v [B,H,K,hd] → [B,M,D]; `blocked`
 * broadcasts to [B,H,M,K] (true = blocked) or is undefined. The incremental decoder's graphs
 * (fm-cached-decoder-graphs.ts) call it on cached K/V, which are stored head-split.
 */
export function attendHeads(g: GraphBuilder, q: string, k: string, v: string, hd: number, dim: number, blocked: string | undefined): string {
  let scores = g.op('Mul', [g.op('MatMul', [q, g.op('Transpose', [k], { perm: [0, 1, 3, 2] })]), g.constFloat([hd ** -0.5], [], 'scale')]);
  if (blocked) scores = g.op('Where', [blocked, g.constFloat([BLOCKED], [], 'blocked'), scores]);
  const out = g.op('MatMul', [g.op('Softmax', [scores], { axis: -1 }), v]);
  return g.op('Reshape', [g.op('Transpose', [out], { perm: [0, 2, 1, 3] }), g.constInt64([0, 0, dim], [3], 'merge_shape')]);
}

/**
 * Multi-head attention of q-rows over k/v-rows (already projected, [B,*,D]); `blocked`
 * broadcasts to [B,H,Nq,Nk] (true = blocked) or is undefined.
 */
export function attend(w: CheckpointWeights, q: string, k: string, v: string, heads: number, dim: number, blocked: string | undefined): string {
  const g = w.g;
  const hd = dim / heads;
  return attendHeads(g, splitHeads(g, q, heads, hd), splitHeads(g, k, heads, hd), splitHeads(g, v, heads, hd), hd, dim, blocked);
}

export function gatedMlp(w: CheckpointWeights, x: string, prefix: string, dim: number): string {
  const g = w.g;
  // The hidden width follows the file (int(2·mlp_ratio·dim/3) for the released models).
  const h = w.rows(`${prefix}.fc1.weight`);
  const a = w.linear(x, `${prefix}.fc1.weight`, h, dim);
  const gate = w.linear(x, `${prefix}.fc3.weight`, h, dim);
  const silu = g.op('Mul', [a, g.op('Sigmoid', [a])]);
  return w.linear(g.op('Mul', [silu, gate]), `${prefix}.fc2.weight`, dim, h);
}

/** The encoder graph's bytes, for a file written beside `header.file`. */
export function buildEncoderGraph(header: SafetensorsHeader, s: EncoderShape): Uint8Array {
  if (s.dim % s.heads !== 0) throw new GraphBuildError(`${header.file}: dim ${s.dim} is not divisible by ${s.heads} heads`);
  const g = new GraphBuilder();
  const w = new CheckpointWeights(g, header);
  const D = s.dim;
  const x = g.input('x', DT.FLOAT, ['B', 'N', D]);
  const emb = g.input('emb', DT.FLOAT, ['B', 'N', D]);
  const pad = g.input('pad', DT.BOOL, ['B', 'N']);
  const blocked = g.op('Unsqueeze', [pad, g.constInt64([1, 2], [2], 'axes')]);
  let h = g.op('Add', [x, emb]);
  for (let i = 0; i < s.depth; i++) {
    const p = `encoder.${i}`;
    const n1 = w.layerNorm(h, `${p}.norm1`, D);
    const qkv = g.op('Reshape', [w.linear(n1, `${p}.attn.qkv.weight`, 3 * D, D), g.constInt64([0, 0, 3, D], [4], 'qkv_shape')]);
    const part = (j: number): string => g.op('Gather', [qkv, g.constInt64([j], [], 'idx')], { axis: 2 });
    const att = attend(w, part(0), part(1), part(2), s.heads, D, blocked);
    h = g.op('Add', [h, w.linear(att, `${p}.attn.proj.weight`, D, D)]);
    h = g.op('Add', [h, gatedMlp(w, w.layerNorm(h, `${p}.norm2`, D), `${p}.mlp`, D)]);
  }
  const normed = w.layerNorm(h, 'encoder_norm', D);
  const projected = w.linear(normed, 'decoder_proj_context.weight', D, D); // with its bias
  const keep = g.op('Unsqueeze', [g.op('Cast', [g.op('Not', [pad])], { to: DT.FLOAT }), g.constInt64([2], [1], 'axis')]);
  g.op('Mul', [g.op('Add', [projected, emb]), keep], {}, 'context');
  g.output('context', DT.FLOAT, ['B', 'N', D]);
  return g.build('fourm_encoder');
}
