/**
 * The FM behind the sampler's ModelStep: gathers embeddings in TS, runs the
 * encoder, decoder and per-modality head graphs, and returns raw logits.
 * All guidance passes of one call run as one batch (B = passes). States whose
 * encoder input is empty (the unconditional pass of an image-only condition)
 * skip the encoder: their context row is zero with every key padded, which
 * gives exactly the zero cross-attention term of official 4M (reference §1.4).
 * Sequence targets use the incremental decoder (cached-decoder.ts) when the
 * package has it, otherwise the full decoder on the whole prefix per token.
 */
import type { ImageLogitsQuery, ModelStep, SequenceLogitsQuery, GenerationState } from '../../sampling';
import type { GraphSession } from '../runtime';
import { bool, expectFloat32, float32 } from '../runtime';
import { CachedSequenceDecoder, type DecoderCacheGraphs, type DecoderShape } from './cached-decoder';
import { contextRows, decoderKeyLengths, lengthGroups, sameStates, type EncodedContext } from './context-batch';
import { EncoderRowCache, encoderKey, sameIds } from './encoder-cache';
import { gatherEncoderBatch, type EncoderBatch } from './encoder-inputs';
import { imageQueries, imageQueriesPerRow, sequenceQueries, type DecoderQueries } from './decoder-inputs';
import { tablesFor, type FmEmbeddings } from './embeddings';
import { decoderFlops, encoderFlops, headFlops } from './flops';

export { lengthGroups, type EncodedContext } from './context-batch';

export interface FmGraphs {
  readonly encoder: GraphSession;
  readonly decoder: GraphSession;
  /** The incremental decoder for autoregressive targets, when the package has it. */
  readonly decoderCache?: DecoderCacheGraphs | undefined;
  head(modality: string): Promise<GraphSession>;
}

export class FmRunner implements ModelStep {
  /** Autoregressive decoding asks with the same state objects for every token; encode them once. */
  private readonly contextCache = new WeakMap<readonly GenerationState[], EncodedContext>();
  private lastStates: readonly GenerationState[] | undefined;
  /**
   * Rows already encoded in this generation (generate() clears it before and after),
   * so targets that see the same conditions share one encoder run.
   */
  private readonly encoded = new EncoderRowCache();
  /** Counters for the benchmark's throughput figure. */
  readonly stats = { encoderRuns: 0, decoderRuns: 0, encoderTokens: 0, decoderTokens: 0, encoderRowsReused: 0, flops: 0 };
  private readonly cached: CachedSequenceDecoder | undefined;

  constructor(
    private readonly graphs: FmGraphs,
    readonly embeddings: FmEmbeddings,
    private readonly shape: DecoderShape,
  ) {
    this.cached = graphs.decoderCache ? new CachedSequenceDecoder(graphs.decoderCache, shape, this.stats) : undefined;
  }

  /** Whether autoregressive targets run on the incremental (KV-cached) decoder. */
  get usesDecoderCache(): boolean {
    return this.cached !== undefined;
  }

  /**
   * Queries for one target with the same number of positions run as one batch, each row
   * at its own positions (guidance passes share them; batched variations do not).
   */
  async imageLogits(queries: readonly ImageLogitsQuery[]): Promise<Float32Array[]> {
    return this.grouped(queries, (q) => `${q.target}|${q.positions.length}`, async (group) => {
      const first = group[0] as ImageLogitsQuery;
      const t = tablesFor(this.embeddings, first.target);
      const context = await this.encode(group.map((q) => q.state));
      const same = group.every((q) => sameIds(q.positions, first.positions));
      const dec = same
        ? imageQueries(t, this.embeddings.maskToken, first.positions, group.length, this.embeddings.dim)
        : imageQueriesPerRow(t, this.embeddings.maskToken, group.map((q) => q.positions), this.embeddings.dim);
      const hidden = await this.decode(dec, context, false);
      return split(await this.head(first.target, hidden, group.length, first.positions.length), group.length);
    });
  }

  async sequenceLogits(queries: readonly SequenceLogitsQuery[]): Promise<Float32Array[]> {
    return this.grouped(queries, (q) => `${q.target}|${q.prefix.join(',')}`, async (group) => {
      const first = group[0] as SequenceLogitsQuery;
      const t = tablesFor(this.embeddings, first.target);
      const states = group.map((q) => q.state);
      let hidden: Float32Array;
      if (this.cached) {
        hidden = await this.cached.lastHidden(states, t, first.prefix, () => this.encodeCached(states));
      } else {
        const context = await this.encodeCached(states);
        hidden = await this.decode(sequenceQueries(t, first.prefix, group.length, this.embeddings.dim), context, true);
      }
      return split(await this.head(first.target, hidden, group.length, 1), group.length);
    });
  }

  /** Forgets encoder rows kept for reuse: a generation starts and ends with it. */
  clearEncoderCache(): void {
    this.encoded.clear();
  }

  /** Encoder context of each state, zero-padded to a common length (at least 1). */
  async encode(states: readonly GenerationState[]): Promise<EncodedContext> {
    const d = this.embeddings.dim;
    const gathered = gatherEncoderBatch(states, this.embeddings);
    const tokens = Math.max(1, gathered.tokens);
    const context = new Float32Array(states.length * tokens * d);
    const pad = new Uint8Array(states.length * tokens).fill(1);
    const keys = states.map((s) => encoderKey(s, this.embeddings));
    // Rows encoded before in this generation are copied; the others run below.
    const missing = Int32Array.from(gathered.lengths);
    gathered.lengths.forEach((n, b) => {
      const hit = n > 0 ? this.encoded.get(keys[b] as Int32Array) : undefined;
      if (!hit) return;
      context.set(hit, b * tokens * d);
      pad.fill(0, b * tokens, b * tokens + n);
      missing[b] = 0;
      this.stats.encoderRowsReused++;
    });
    // Only non-empty rows go through the encoder (a fully padded row would be a 0-key
    // softmax), grouped so that padding never wastes more than a quarter of a batch.
    for (const rows of lengthGroups(missing)) {
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
        const len = gathered.lengths[b] as number;
        this.encoded.set(keys[b] as Int32Array, ctx.data.slice(i * n * d, (i * n + len) * d));
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
   * Decoder hidden rows [B, rows, d]; for sequences only the last query row is kept.
   * Rows whose contexts differ a lot in length (the unconditional pass often has few
   * or no tokens) run as separate decoder batches, cut to their own length, so
   * cross-attention never projects a long stretch of padding.
   */
  private async decode(dec: DecoderQueries, ctx: EncodedContext, lastOnly: boolean): Promise<Float32Array> {
    const d = this.embeddings.dim;
    const { batch: b, queries: m } = dec;
    const rows = lastOnly ? 1 : m;
    const hidden = new Float32Array(b * rows * d);
    const lengths = decoderKeyLengths(ctx);
    for (const group of lengthGroups(lengths)) {
      const n = Math.max(...group.map((i) => lengths[i] as number));
      const g = group.length;
      const y = new Float32Array(g * m * d);
      group.forEach((row, i) => y.set(dec.y.subarray(row * m * d, (row + 1) * m * d), i * m * d));
      const { context, pad } = contextRows(ctx, group, n, d);
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
    return hidden;
  }

  private async head(target: string, hidden: Float32Array, batch: number, rows: number): Promise<Float32Array> {
    const head = await this.graphs.head(target);
    const res = await head.run({ hidden: float32(hidden, [batch, rows, this.embeddings.dim]) });
    const logits = expectFloat32(res.logits, `head ${target} logits`);
    this.stats.flops += headFlops(this.shape, batch, rows, logits.dims[2] ?? 0);
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
