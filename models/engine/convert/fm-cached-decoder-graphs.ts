/**
 * The incremental (KV-cached) decoder over an official checkpoint, as two weight-free ONNX
 * graphs in the contract of engine/fm/cached-decoder.ts (the recipe exports the same pair for
 * packages, export/cached_decoder.py):
 *
 * - context K/V: `context [B,N,D] → cross_k_l, cross_v_l [B,H,N,hd]` per layer l
 *   (context_norm, then the cross-attention `kv` projection), once per sequence;
 * - step: `y [B,M,D], enc_pad [B,N] bool, sa_mask [B,M,T+M] bool (true = blocked),
 *   past_k_l, past_v_l [B,H,T,hd], cross_k_l, cross_v_l → hidden [B,M,D] (after decoder_norm),
 *   present_k_l, present_v_l [B,H,T+M,hd]`.
 *
 * With a causal mask, row i of the full decoder depends on rows ≤ i only, so running the new rows
 * against the cached K/V is the full decoder's maths row by row: a caption token costs one row
 * instead of the whole prefix and the whole context's K/V projection.
 */
import { kvNames as kv } from '../fm/cached-decoder';
import type { SafetensorsHeader } from '../fm/safetensors';
import { attendHeads, CheckpointWeights, gatedMlp, GraphBuildError, splitHeads } from './fm-encoder-graph';
import type { FmShape } from './fm-decoder-graph';
import { DT, GraphBuilder } from './onnx-writer';

function checkShape(header: SafetensorsHeader, s: FmShape): void {
  if (s.dim % s.heads !== 0) throw new GraphBuildError(`${header.file}: dim ${s.dim} is not divisible by ${s.heads} heads`);
}

export function buildDecoderContextKvGraph(header: SafetensorsHeader, s: FmShape): Uint8Array {
  checkShape(header, s);
  const g = new GraphBuilder();
  const w = new CheckpointWeights(g, header);
  const D = s.dim;
  const hd = D / s.heads;
  const context = g.input('context', DT.FLOAT, ['B', 'N', D]);
  const names = kv('cross', s.decoderDepth);
  for (let i = 0; i < s.decoderDepth; i++) {
    const p = `decoder.${i}`;
    const projected = w.linear(w.layerNorm(context, `${p}.context_norm`, D), `${p}.cross_attn.kv.weight`, 2 * D, D);
    // [B,N,2D] → [B,N,2,H,hd] → [2,B,H,N,hd]: the official kv projection stores K's rows first.
    const split = g.op('Transpose', [g.op('Reshape', [projected, g.constInt64([0, 0, 2, s.heads, hd], [5], 'kv_shape')])], { perm: [2, 0, 3, 1, 4] });
    for (const j of [0, 1]) {
      const name = names[2 * i + j] as string;
      g.op('Gather', [split, g.constInt64([j], [], 'idx')], { axis: 0 }, name);
      g.output(name, DT.FLOAT, ['B', s.heads, 'N', hd]);
    }
  }
  return g.build('fourm_decoder_context_kv');
}

export function buildDecoderStepGraph(header: SafetensorsHeader, s: FmShape): Uint8Array {
  checkShape(header, s);
  const g = new GraphBuilder();
  const w = new CheckpointWeights(g, header);
  const D = s.dim;
  const H = s.heads;
  const hd = D / H;
  let y = g.input('y', DT.FLOAT, ['B', 'M', D]);
  const encPad = g.input('enc_pad', DT.BOOL, ['B', 'N']);
  const saMask = g.input('sa_mask', DT.BOOL, ['B', 'M', 'K']);
  const past = kv('past', s.decoderDepth).map((n) => g.input(n, DT.FLOAT, ['B', H, 'T', hd]));
  const cross = kv('cross', s.decoderDepth).map((n) => g.input(n, DT.FLOAT, ['B', H, 'N', hd]));
  const present = kv('present', s.decoderDepth);
  const xaBlocked = g.op('Unsqueeze', [encPad, g.constInt64([1, 2], [2], 'axes')]);
  const saBlocked = g.op('Unsqueeze', [saMask, g.constInt64([1], [1], 'axis')]);
  for (let i = 0; i < s.decoderDepth; i++) {
    const p = `decoder.${i}`;
    // Self-attention: the new rows' K/V join the cached ones (the present outputs the next step's past).
    const qkv = w.linear(w.layerNorm(y, `${p}.norm1`, D), `${p}.self_attn.qkv.weight`, 3 * D, D);
    const split = g.op('Transpose', [g.op('Reshape', [qkv, g.constInt64([0, 0, 3, H, hd], [5], 'qkv_shape')])], { perm: [2, 0, 3, 1, 4] });
    const part = (j: number): string => g.op('Gather', [split, g.constInt64([j], [], 'idx')], { axis: 0 });
    const k = g.op('Concat', [past[2 * i] as string, part(1)], { axis: 2 }, present[2 * i]);
    const v = g.op('Concat', [past[2 * i + 1] as string, part(2)], { axis: 2 }, present[2 * i + 1]);
    g.output(present[2 * i] as string, DT.FLOAT, ['B', H, 'K', hd]);
    g.output(present[2 * i + 1] as string, DT.FLOAT, ['B', H, 'K', hd]);
    y = g.op('Add', [y, w.linear(attendHeads(g, part(0), k, v, hd, D, saBlocked), `${p}.self_attn.proj.weight`, D, D)]);
    // Cross-attention over the context K/V computed once per sequence.
    const q = splitHeads(g, w.linear(w.layerNorm(y, `${p}.query_norm`, D), `${p}.cross_attn.q.weight`, D, D), H, hd);
    y = g.op('Add', [y, w.linear(attendHeads(g, q, cross[2 * i] as string, cross[2 * i + 1] as string, hd, D, xaBlocked), `${p}.cross_attn.proj.weight`, D, D)]);
    y = g.op('Add', [y, gatedMlp(w, w.layerNorm(y, `${p}.norm2`, D), `${p}.mlp`, D)]);
  }
  g.op('Identity', [w.layerNorm(y, 'decoder_norm', D)], {}, 'hidden');
  g.output('hidden', DT.FLOAT, ['B', 'M', D]);
  return g.build('fourm_decoder_step');
}
