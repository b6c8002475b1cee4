/**
 * The FM behind the sampler's ModelStep: gathers embeddings in TS, runs the
 * encoder, decoder and per-modality head graphs, and returns raw logits.
 * All guidance passes of one call run as one batch (B = passes). States whose
 * encoder input is empty (the unconditional pass of an image-only condition)
 * skip the encoder: their context row is zero with every key padded, which
 * gives exactly the zero cross-attention term of official 4M (reference §1.4).
 */
import type { ImageLogitsQuery, ModelStep, SequenceLogitsQuery, GenerationState } from '../../sampling';
import type { GraphSession } from '../runtime';
import { bool, expectFloat32, float32 } from '../runtime';
import { gatherEncoderBatch, type EncoderBatch } from './encoder-inputs';
import { imageQueries, sequenceQueries, type DecoderQueries } from './decoder-inputs';
import { tablesFor, type FmEmbeddings } from './embeddings';
import { decoderFlops, encoderFlops, headFlops, type FmShape } from './flops';

export interface FmGraphs {
  readonly encoder: GraphSession;
  readonly decoder: GraphSession;
  head(modality: string): Promise<GraphSession>;
}

/** Encoder output for a batch, laid out as the decoder's context input. */
export interface EncodedContext {
  readonly batch: number;
  readonly tokens: number;
  /** Real (unpadded) context length of each row; 0 = empty encoder. */
  readonly lengths: Int32Array;
  readonly context: Float32Array;
  readonly pad: Uint8Array;
}

export class FmRunner implements ModelStep {
  /** Autoregressive decoding asks with the same state objects for every token; encode them once. */
  private readonly contextCache = new WeakMap<readonly GenerationState[], EncodedContext>();
  private lastStates: readonly GenerationState[] | undefined;
  /** Counters for the benchmark's throughput figure. */
  readonly stats = { encoderRuns: 0, decoderRuns: 0, encoderTokens: 0, decoderTokens: 0, flops: 0 };

  constructor(
    private readonly graphs: FmGraphs,
    readonly embeddings: FmEmbeddings,
    private readonly shape: FmShape,
  ) {}

  async imageLogits(queries: readonly ImageLogitsQuery[]): Promise<Float32Array[]> {
    return this.grouped(queries, (q) => `${q.target}|${q.positions.join(',')}`, async (group) => {
      const first = group[0] as ImageLogitsQuery;
      const t = tablesFor(this.embeddings, first.target);
      const context = await this.encode(group.map((q) => q.state));
      const dec = imageQueries(t, this.embeddings.maskToken, first.positions, group.length, this.embeddings.dim);
      const logits = await this.logits(first.target, dec, context, false);
      return split(logits, group.length);
    });
  }

  async sequenceLogits(queries: readonly SequenceLogitsQuery[]): Promise<Float32Array[]> {
    return this.grouped(queries, (q) => `${q.target}|${q.prefix.join(',')}`, async (group) => {
      const first = group[0] as SequenceLogitsQuery;
      const t = tablesFor(this.embeddings, first.target);
      const states = group.map((q) => q.state);
      const context = await this.encodeCached(states);
      const dec = sequenceQueries(t, first.prefix, group.length, this.embeddings.dim);
      const logits = await this.logits(first.target, dec, context, true);
      return split(logits, group.length);
    });
  }

  /** Encoder context of each state, zero-padded to a common length (at least 1). */
  async encode(states: readonly GenerationState[]): Promise<EncodedContext> {
    const d = this.embeddings.dim;
    const gathered = gatherEncoderBatch(states, this.embeddings);
    const tokens = Math.max(1, gathered.tokens);
    const context = new Float32Array(states.length * tokens * d);
    const pad = new Uint8Array(states.length * tokens).fill(1);
    // Only non-empty rows go through the encoder (a fully padded row would be a 0-key
    // softmax), grouped so that padding never wastes more than a quarter of a batch.
    for (const rows of lengthGroups(gathered.lengths)) {
      const n = Math.max(...rows.map((b) => gathered.lengths[b] as number));
      const sub = subsetRows(gathered, rows, n, d);
      const out = await this.graphs.encoder.run({
        x: float32(sub.x, [rows.length, n, d]),
        emb: float32(sub.emb, [rows.length, n, d]),
        pad: bool(sub.pad, [rows.length, n]),
      });
      const ctx = expectFloat32(out.context, 'encoder context');
      this.stats.encoderRuns++;
      this.stats.encoderTokens += rows.length * n;
      this.stats.flops += encoderFlops(this.shape, rows.length, n);
      rows.forEach((b, i) => {
        context.set(ctx.data.subarray(i * n * d, (i + 1) * n * d), b * tokens * d);
        pad.set(sub.pad.subarray(i * n, (i + 1) * n), b * tokens);
      });
    }
    return { batch: states.length, tokens, lengths: gathered.lengths, context, pad };
  }

  private async encodeCached(states: readonly GenerationState[]): Promise<EncodedContext> {
    const key = this.lastStates && sameStates(this.lastStates, states) ? this.lastStates : states;
    const hit = this.contextCache.get(key);
    if (hit) return hit;
    const encoded = await this.encode(states);
    this.contextCache.set(states, encoded);
    this.lastStates = states;
    return encoded;
  }

  /**
   * Decoder then head; for sequences only the last query row goes through the head.
   * Rows whose contexts differ a lot in length (the unconditional pass often has few
   * or no tokens) run as separate decoder batches, cut to their own length, so
   * cross-attention never projects a long stretch of padding.
   */
  private async logits(target: string, dec: DecoderQueries, ctx: EncodedContext, lastOnly: boolean): Promise<Float32Array> {
    const d = this.embeddings.dim;
    const { batch: b, queries: m } = dec;
    const rows = lastOnly ? 1 : m;
    const hidden = new Float32Array(b * rows * d);
    // Empty contexts count as one (fully padded) key: the decoder needs N >= 1.
    const lengths = Int32Array.from(ctx.lengths, (n) => Math.max(1, n));
    for (const group of lengthGroups(lengths)) {
      const n = Math.max(...group.map((i) => lengths[i] as number));
      const g = group.length;
      const y = new Float32Array(g * m * d);
      const context = new Float32Array(g * n * d);
      const pad = new Uint8Array(g * n);
      group.forEach((row, i) => {
        y.set(dec.y.subarray(row * m * d, (row + 1) * m * d), i * m * d);
        context.set(ctx.context.subarray(row * ctx.tokens * d, (row * ctx.tokens + n) * d), i * n * d);
        pad.set(ctx.pad.subarray(row * ctx.tokens, row * ctx.tokens + n), i * n);
      });
      const out = await this.graphs.decoder.run({
        y: float32(y, [g, m, d]),
        context: float32(context, [g, n, d]),
        enc_pad: bool(pad, [g, n]),
        sa_mask: bool(dec.saMask.subarray(0, g * m * m), [g, m, m]),
      });
      this.stats.decoderRuns++;
      this.stats.decoderTokens += g * m;
      this.stats.flops += decoderFlops(this.shape, g, m, n);
      const h = expectFloat32(out.hidden, 'decoder hidden').data;
      group.forEach((row, i) => {
        const from = lastOnly ? (i * m + m - 1) * d : i * m * d;
        hidden.set(h.subarray(from, from + rows * d), row * rows * d);
      });
    }
    const head = await this.graphs.head(target);
    const res = await head.run({ hidden: float32(hidden, [b, rows, d]) });
    const logits = expectFloat32(res.logits, `head ${target} logits`);
    this.stats.flops += headFlops(this.shape, b, rows, logits.dims[2] ?? 0);
    return logits.data;
  }

  /** Runs queries sharing a key as one batch; results come back in query order. */
  private async grouped<Q>(queries: readonly Q[], key: (q: Q) => string, run: (group: Q[]) => Promise<Float32Array[]>): Promise<Float32Array[]> {
    const groups = new Map<string, number[]>();
    queries.forEach((q, i) => {
      const k = key(q);
      groups.set(k, [...(groups.get(k) ?? []), i]);
    });
    const out: Float32Array[] = new Array<Float32Array>(queries.length);
    for (const idx of groups.values()) {
      const res = await run(idx.map((i) => queries[i] as Q));
      idx.forEach((i, j) => (out[i] = res[j] as Float32Array));
    }
    return out;
  }
}

function split(data: Float32Array, batch: number): Float32Array[] {
  const size = data.length / batch;
  return Array.from({ length: batch }, (_, b) => data.slice(b * size, (b + 1) * size));
}

function sameStates(a: readonly GenerationState[], b: readonly GenerationState[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/** Rows with tokens, longest first, batched while the shortest keeps ≥ 75% of the longest. */
export function lengthGroups(lengths: Int32Array): number[][] {
  const rows = [...lengths.keys()].filter((b) => (lengths[b] as number) > 0).sort((a, b) => (lengths[b] as number) - (lengths[a] as number));
  const groups: number[][] = [];
  for (const b of rows) {
    const group = groups.at(-1);
    const head = group?.[0];
    if (group && head !== undefined && (lengths[b] as number) >= 0.75 * (lengths[head] as number)) group.push(b);
    else groups.push([b]);
  }
  return groups;
}

/** Rows `rows` of a gathered batch, cut to n tokens each (rows are padded at the end). */
function subsetRows(g: EncoderBatch, rows: number[], n: number, d: number): { x: Float32Array; emb: Float32Array; pad: Uint8Array } {
  const x = new Float32Array(rows.length * n * d);
  const emb = new Float32Array(rows.length * n * d);
  const pad = new Uint8Array(rows.length * n);
  const t = g.tokens;
  rows.forEach((b, i) => {
    x.set(g.x.subarray(b * t * d, (b * t + n) * d), i * n * d);
    emb.set(g.emb.subarray(b * t * d, (b * t + n) * d), i * n * d);
    pad.set(g.pad.subarray(b * t, b * t + n), i * n);
  });
  return { x, emb, pad };
}
