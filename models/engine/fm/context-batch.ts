/**
 * How encoder contexts are laid out and batched: shared by the full decoder
 * path and the incremental (cached) one, so both group rows the same way.
 */
import type { GenerationState } from '../../sampling';

/** Encoder output for a batch, laid out as the decoder's context input. */
export interface EncodedContext {
  readonly batch: number;
  readonly tokens: number;
  /** Real (unpadded) context length of each row; 0 = empty encoder. */
  readonly lengths: Int32Array;
  readonly context: Float32Array;
  readonly pad: Uint8Array;
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

/** Decoder key lengths: an empty context counts as one (fully padded) key, as the decoder needs N ≥ 1. */
export function decoderKeyLengths(ctx: EncodedContext): Int32Array {
  return Int32Array.from(ctx.lengths, (n) => Math.max(1, n));
}

/** Context rows `rows` of ctx cut to n keys each, with their padding flags. */
export function contextRows(ctx: EncodedContext, rows: readonly number[], n: number, d: number): { context: Float32Array; pad: Uint8Array } {
  const context = new Float32Array(rows.length * n * d);
  const pad = new Uint8Array(rows.length * n);
  rows.forEach((row, i) => {
    context.set(ctx.context.subarray(row * ctx.tokens * d, (row * ctx.tokens + n) * d), i * n * d);
    pad.set(ctx.pad.subarray(row * ctx.tokens, row * ctx.tokens + n), i * n);
  });
  return { context, pad };
}

export function sameStates(a: readonly GenerationState[], b: readonly GenerationState[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}
