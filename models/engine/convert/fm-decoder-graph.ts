/**
 * The 4M decoder trunk and the per-modality heads as weight-free ONNX graphs over
 * an official checkpoint, in the engine's contracts (models/zoo/README.md):
 * decoder `y [B,M,D], context [B,N,D], enc_pad [B,N] bool, sa_mask [B,M,M] bool
 * (true = blocked) → hidden [B,M,D]` (after decoder_norm); head
 * `hidden [B,M,D] → logits [B,M,V]`.
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SafetensorsHeader } from '../fm/safetensors';
import { attend, buildEncoderGraph, CheckpointWeights, gatedMlp, GraphBuildError, type EncoderShape } from './fm-encoder-graph';
import { buildDecoderContextKvGraph, buildDecoderStepGraph } from './fm-cached-decoder-graphs';
import { DT, GraphBuilder } from './onnx-writer';

export interface FmShape extends EncoderShape {
  readonly decoderDepth: number;
}

export function buildDecoderGraph(header: SafetensorsHeader, s: FmShape): Uint8Array {
  if (s.dim % s.heads !== 0) throw new GraphBuildError(`${header.file}: dim ${s.dim} is not divisible by ${s.heads} heads`);
  const g = new GraphBuilder();
  const w = new CheckpointWeights(g, header);
  const D = s.dim;
  let y = g.input('y', DT.FLOAT, ['B', 'M', D]);
  const context = g.input('context', DT.FLOAT, ['B', 'N', D]);
  const encPad = g.input('enc_pad', DT.BOOL, ['B', 'N']);
  const saMask = g.input('sa_mask', DT.BOOL, ['B', 'M', 'M']);
  const xaBlocked = g.op('Unsqueeze', [encPad, g.constInt64([1, 2], [2], 'axes')]);
  const saBlocked = g.op('Unsqueeze', [saMask, g.constInt64([1], [1], 'axis')]);
  const kvShape = g.constInt64([0, 0, 2, D], [4], 'kv_shape');
  const qkvShape = g.constInt64([0, 0, 3, D], [4], 'qkv_shape');
  const part = (t: string, j: number): string => g.op('Gather', [t, g.constInt64([j], [], 'idx')], { axis: 2 });
  for (let i = 0; i < s.decoderDepth; i++) {
    const p = `decoder.${i}`;
    const qkv = g.op('Reshape', [w.linear(w.layerNorm(y, `${p}.norm1`, D), `${p}.self_attn.qkv.weight`, 3 * D, D), qkvShape]);
    y = g.op('Add', [y, w.linear(attend(w, part(qkv, 0), part(qkv, 1), part(qkv, 2), s.heads, D, saBlocked), `${p}.self_attn.proj.weight`, D, D)]);
    const q = w.linear(w.layerNorm(y, `${p}.query_norm`, D), `${p}.cross_attn.q.weight`, D, D);
    const kv = g.op('Reshape', [w.linear(w.layerNorm(context, `${p}.context_norm`, D), `${p}.cross_attn.kv.weight`, 2 * D, D), kvShape]);
    y = g.op('Add', [y, w.linear(attend(w, q, part(kv, 0), part(kv, 1), s.heads, D, xaBlocked), `${p}.cross_attn.proj.weight`, D, D)]);
    y = g.op('Add', [y, gatedMlp(w, w.layerNorm(y, `${p}.norm2`, D), `${p}.mlp`, D)]);
  }
  g.op('Identity', [w.layerNorm(y, 'decoder_norm', D)], {}, 'hidden');
  g.output('hidden', DT.FLOAT, ['B', 'M', D]);
  return g.build('fourm_decoder');
}

export function buildHeadGraph(header: SafetensorsHeader, modality: string, dim: number): Uint8Array {
  const key = `decoder_embeddings.${modality}.to_logits.weight`;
  const e = header.entries.get(key);
  if (!e) throw new GraphBuildError(`${header.file}: tensor "${key}" is missing`);
  const vocab = e.shape[0] as number;
  const g = new GraphBuilder();
  const w = new CheckpointWeights(g, header);
  const hidden = g.input('hidden', DT.FLOAT, ['B', 'M', dim]);
  g.op('Identity', [w.linear(hidden, key, vocab, dim)], {}, 'logits');
  g.output('logits', DT.FLOAT, ['B', 'M', vocab]);
  return g.build(`fourm_head_${modality}`);
}

export interface WrittenFmGraphs {
  /** File names in the checkpoint's folder, as a manifest's `fm` section names them. */
  readonly encoder: string;
  readonly decoder: string;
  /** The incremental decoder for autoregressive targets (fm-cached-decoder-graphs.ts). */
  readonly decoderCache: { readonly contextKv: string; readonly step: string };
  readonly heads: Record<string, string>;
}

/**
 * Writes the encoder, decoder (full and incremental) and one head per output modality beside the checkpoint
 * (ONNX Runtime reads external data from the graph's own folder). Graphs are a few kB each.
 */
export async function writeFmGraphs(
  header: SafetensorsHeader, s: FmShape, outputs: readonly string[], keep?: (rel: string) => Promise<boolean>,
): Promise<WrittenFmGraphs> {
  const root = dirname(header.file);
  const heads: Record<string, string> = {};
  // `keep` says which graphs already written beside the file can stay (none by default).
  const write = async (rel: string, build: () => Uint8Array): Promise<void> => {
    if (!(await keep?.(rel))) await writeFile(join(root, rel), build());
  };
  await write('fm_encoder.onnx', () => buildEncoderGraph(header, s));
  await write('fm_decoder.onnx', () => buildDecoderGraph(header, s));
  await write('fm_decoder_context_kv.onnx', () => buildDecoderContextKvGraph(header, s));
  await write('fm_decoder_step.onnx', () => buildDecoderStepGraph(header, s));
  for (const m of outputs) {
    const rel = `fm_head_${m.replace(/[^A-Za-z0-9_-]/g, '_')}.onnx`;
    await write(rel, () => buildHeadGraph(header, m, s.dim));
    heads[m] = rel;
  }
  return { encoder: 'fm_encoder.onnx', decoder: 'fm_decoder.onnx', decoderCache: { contextKv: 'fm_decoder_context_kv.onnx', step: 'fm_decoder_step.onnx' }, heads };
}
