/**
 * Autoregressive decoding with cached attention (packages with
 * fm.decoderCache). Per sequence, the cross-attention K/V of the context is
 * computed once (decoder_context_kv.onnx); per token, only the new query row
 * runs through decoder_step.onnx, which appends its self-attention K/V to the
 * cache. With the causal mask this is the full decoder's maths row by row.
 * K and V travel as one [B, H, rows, hd] tensor per layer each (names from
 * kvNames), as the recipe exports them (export/cached_decoder.py).
 *
 * The sampler's ModelStep interface is unchanged: a call whose states and
 * target match a cached sequence and whose prefix extends the cached one runs
 * only the new rows; anything else starts a fresh cache entry.
 *
 * Unlike the full path, all rows of a batch (guidance passes) run as one batch
 * padded to the longest context: the padding's K/V is projected once per
 * sequence, not per token, and one graph call per token beats one per length
 * group. Padded keys are blocked (weight exactly 0) and padded context rows are
 * zero, so an empty encoder still gives a zero cross-attention term.
 */
import type { GenerationState } from '../../sampling';
import type { GraphSession } from '../runtime';
import { bool, expectFloat32, float32, type TensorData } from '../runtime';
import { sameStates, type EncodedContext } from './context-batch';
import { sequenceStepQueries } from './decoder-inputs';
import type { ModalityTables } from './embeddings';
import { contextKvFlops, decoderStepFlops, type FmShape } from './flops';

/** Only `run` is used, so a caller may open the sessions lazily (official checkpoints do). */
export interface DecoderCacheGraphs {
  readonly contextKv: Pick<GraphSession, 'run'>;
  readonly step: Pick<GraphSession, 'run'>;
}

export interface DecoderShape extends FmShape {
  readonly numHeads: number;
}

/** Counters shared with the runner (benchmark throughput). */
export interface DecoderStats {
  decoderRuns: number;
  decoderTokens: number;
  flops: number;
}

interface SequenceCache {
  readonly states: readonly GenerationState[];
  readonly target: string;
  /** Prefix ids whose self-attention K/V `past` holds. */
  ids: Int32Array;
  /** Context keys (the batch's longest context, at least 1). */
  readonly keys: number;
  /** cross_k_0, cross_v_0, … each [B, H, keys, hd]. */
  readonly cross: Readonly<Record<string, TensorData>>;
  /** [B, keys], 1 = padding. */
  readonly pad: Uint8Array;
  /** past_k_0, past_v_0, … each [B, H, ids.length, hd]. */
  past: Record<string, TensorData>;
}

/**
 * Sequences kept at once. The sampler decodes one at a time, and a finished
 * sequence's cache is dead weight (≈ 20 MB for two passes over a 1,300-token
 * context), so only the latest is kept; interleaved callers stay correct, just slower.
 */
const MAX_ENTRIES = 1;

export class CachedSequenceDecoder {
  private entries: SequenceCache[] = [];

  constructor(
    private readonly graphs: DecoderCacheGraphs,
    private readonly shape: DecoderShape,
    private readonly stats: DecoderStats,
  ) {}

  /**
   * Final decoder hidden state of the prefix's last row for each batch row, [B, d].
   * `encode` gives the batch's encoder context (only called for a new sequence).
   */
  async lastHidden(
    states: readonly GenerationState[],
    t: ModalityTables,
    prefix: Int32Array,
    encode: () => Promise<EncodedContext>,
  ): Promise<Float32Array> {
    const entry = this.find(states, t.name, prefix) ?? (await this.start(states, t.name, encode));
    return this.advance(entry, t, prefix);
  }

  private find(states: readonly GenerationState[], target: string, prefix: Int32Array): SequenceCache | undefined {
    const entry = this.entries.find((e) => e.target === target && sameStates(e.states, states));
    if (!entry) return undefined;
    if (extendsIds(entry.ids, prefix)) return entry;
    this.entries = this.entries.filter((e) => e !== entry);
    return undefined;
  }

  private async start(states: readonly GenerationState[], target: string, encode: () => Promise<EncodedContext>): Promise<SequenceCache> {
    const ctx = await encode();
    const { dim: d, decoderDepth: depth, numHeads: heads } = this.shape;
    // ctx.tokens ≥ 1 and every row is padded to it (an empty encoder is one padded zero row).
    const out = await this.graphs.contextKv.run({ context: float32(ctx.context, [ctx.batch, ctx.tokens, d]) });
    this.stats.flops += contextKvFlops(this.shape, ctx.batch, ctx.tokens);
    const cross: Record<string, TensorData> = {};
    const past: Record<string, TensorData> = {};
    kvNames('cross', depth).forEach((name, i) => {
      cross[name] = expectFloat32(out[name], `decoder_context_kv ${name}`);
      past[kvNames('past', depth)[i] as string] = float32(new Float32Array(0), [ctx.batch, heads, 0, d / heads]);
    });
    const entry: SequenceCache = { states, target, ids: new Int32Array(0), keys: ctx.tokens, cross, pad: ctx.pad, past };
    this.entries = [entry, ...this.entries].slice(0, MAX_ENTRIES);
    return entry;
  }

  private async advance(entry: SequenceCache, t: ModalityTables, prefix: Int32Array): Promise<Float32Array> {
    const { dim: d, decoderDepth: depth } = this.shape;
    const b = entry.states.length;
    const past = entry.ids.length;
    const dec = sequenceStepQueries(t, prefix, past, b, d);
    const m = dec.queries;
    const out = await this.graphs.step.run({
      y: float32(dec.y, [b, m, d]),
      enc_pad: bool(entry.pad, [b, entry.keys]),
      sa_mask: bool(dec.saMask, [b, m, past + m]),
      ...entry.past,
      ...entry.cross,
    });
    this.stats.decoderRuns++;
    this.stats.decoderTokens += b * m;
    this.stats.flops += decoderStepFlops(this.shape, b, m, past, entry.keys);
    const h = expectFloat32(out.hidden, 'decoder_step hidden').data;
    const present: Record<string, TensorData> = {};
    const presentNames = kvNames('present', depth);
    kvNames('past', depth).forEach((name, i) => {
      const from = presentNames[i] as string;
      present[name] = expectFloat32(out[from], `decoder_step ${from}`);
    });
    entry.past = present;
    entry.ids = prefix.slice();
    const hidden = new Float32Array(b * d);
    for (let row = 0; row < b; row++) hidden.set(h.subarray((row * m + m - 1) * d, (row * m + m) * d), row * d);
    return hidden;
  }
}

/** The graphs' per-layer K/V names: prefix_k_0, prefix_v_0, prefix_k_1, … (recipe's kv_names). */
export function kvNames(prefix: 'past' | 'present' | 'cross', depth: number): string[] {
  return Array.from({ length: depth }, (_, i) => [`${prefix}_k_${i}`, `${prefix}_v_${i}`]).flat();
}

/** Whether `prefix` starts with `ids` and has at least one row more. */
export function extendsIds(ids: Int32Array, prefix: Int32Array): boolean {
  if (prefix.length <= ids.length) return false;
  for (let i = 0; i < ids.length; i++) if (ids[i] !== prefix[i]) return false;
  return true;
}
