/**
 * Several chains sharing one model, their image steps run as one batch: each
 * chain's call waits until every chain still running has asked (or finished),
 * then all the queries go to the model in one call. Variations of a request
 * step in lockstep (same plan), so their encoder and decoder passes become
 * one larger batch, which two CPU cores run faster than one after another.
 *
 * Sequence steps pass straight through: the incremental decoder keeps one
 * sequence's cache, and per-token calls of different chains would evict it.
 */
import type { ImageLogitsQuery, ModelStep, SequenceLogitsQuery } from '../../sampling';

interface Waiting {
  readonly queries: readonly ImageLogitsQuery[];
  resolve(logits: Float32Array[]): void;
  reject(error: unknown): void;
}

export class BatchingModelStep implements ModelStep {
  private waiting: Waiting[] = [];
  private running: number;
  /** Model calls made and queries they carried (for tests and the benchmark). */
  readonly stats = { calls: 0, queries: 0 };

  constructor(
    private readonly inner: ModelStep,
    parties: number,
  ) {
    this.running = parties;
  }

  imageLogits(queries: readonly ImageLogitsQuery[]): Promise<Float32Array[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ queries, resolve, reject });
      this.flushIfAllWaiting();
    });
  }

  sequenceLogits(queries: readonly SequenceLogitsQuery[]): Promise<Float32Array[]> {
    return this.inner.sequenceLogits(queries);
  }

  /** A chain is done (finished, failed or cancelled): the others stop waiting for it. */
  leave(): void {
    this.running--;
    this.flushIfAllWaiting();
  }

  private flushIfAllWaiting(): void {
    if (this.waiting.length === 0 || this.waiting.length < this.running) return;
    const batch = this.waiting;
    this.waiting = [];
    const all = batch.flatMap((w) => w.queries);
    this.stats.calls++;
    this.stats.queries += all.length;
    this.inner.imageLogits(all).then(
      (logits) => {
        let at = 0;
        for (const w of batch) {
          w.resolve(logits.slice(at, at + w.queries.length));
          at += w.queries.length;
        }
      },
      (error: unknown) => {
        for (const w of batch) w.reject(error);
      },
    );
  }
}
