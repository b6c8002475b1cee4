/**
 * Decoder queries (reference §1.5, §3.3). Image targets: mask_token + pos_emb[p]
 * + mod_emb, no self-attention mask (MaskGIT/ROAR). Sequence targets:
 * dec token_emb[id] + pos_emb[j] + mod_emb with j counted from 0 at [S_1], and
 * a causal self-attention mask (true = blocked).
 */
import type { ModalityTables } from './embeddings';

export interface DecoderQueries {
  readonly y: Float32Array;
  /** [B, M, M] (step queries: [B, M, past + M]), 1 = blocked. */
  readonly saMask: Uint8Array;
  readonly batch: number;
  readonly queries: number;
}

export function imageQueries(t: ModalityTables, maskToken: Float32Array, positions: Int32Array, batch: number, d: number): DecoderQueries {
  const m = positions.length;
  return { y: repeat(imageRows(t, maskToken, positions, d), batch), saMask: new Uint8Array(batch * m * m), batch, queries: m };
}

/** One row of queries per batch row, each at its own positions (all of one length): batched variations. */
export function imageQueriesPerRow(t: ModalityTables, maskToken: Float32Array, positions: readonly Int32Array[], d: number): DecoderQueries {
  const m = positions[0]?.length ?? 0;
  const y = new Float32Array(positions.length * m * d);
  positions.forEach((p, b) => {
    if (p.length !== m) throw new RangeError(`${t.name}: rows ask for ${m} and ${p.length} positions; a batch needs one count`);
    y.set(imageRows(t, maskToken, p, d), b * m * d);
  });
  return { y, saMask: new Uint8Array(positions.length * m * m), batch: positions.length, queries: m };
}

function imageRows(t: ModalityTables, maskToken: Float32Array, positions: Int32Array, d: number): Float32Array {
  if (!t.output) throw new Error(`${t.name} is not an output of this model (it has no decoder embedding)`);
  const m = positions.length;
  const one = new Float32Array(m * d);
  for (let j = 0; j < m; j++) {
    const p = positions[j] as number;
    if (p < 0 || p >= t.length) throw new RangeError(`${t.name}: query position ${p} is outside 0…${t.length - 1}`);
    const o = j * d;
    for (let k = 0; k < d; k++) one[o + k] = (maskToken[k] as number) + (t.decPos[p * d + k] as number) + (t.decMod[k] as number);
  }
  return one;
}

export function sequenceQueries(t: ModalityTables, prefix: Int32Array, batch: number, d: number): DecoderQueries {
  const m = prefix.length;
  return { y: repeat(sequenceRows(t, prefix, 0, d), batch), saMask: repeat8(stepMask(0, m), batch), batch, queries: m };
}

/**
 * The queries for prefix rows from…end only, for the incremental decoder: its
 * mask is [B, M, past + M] over the cached rows followed by the new ones.
 */
export function sequenceStepQueries(t: ModalityTables, prefix: Int32Array, from: number, batch: number, d: number): DecoderQueries {
  const m = prefix.length - from;
  if (m < 1) throw new RangeError(`${t.name}: no new prefix rows after ${from}`);
  return { y: repeat(sequenceRows(t, prefix, from, d), batch), saMask: repeat8(stepMask(from, m), batch), batch, queries: m };
}

/** dec token_emb[id] + pos_emb[j] + mod_emb for prefix rows j = from…end. */
function sequenceRows(t: ModalityTables, prefix: Int32Array, from: number, d: number): Float32Array {
  const table = t.decTokens;
  if (!table) throw new Error(t.output ? `${t.name} is not a sequence modality` : `${t.name} is not an output of this model (it has no decoder embedding)`);
  const one = new Float32Array((prefix.length - from) * d);
  for (let j = from; j < prefix.length; j++) {
    const id = prefix[j] as number;
    if (id < 0 || id >= t.vocabSize) throw new RangeError(`${t.name}: prefix token ${id} is outside the vocabulary`);
    // Positions past the table reuse position 0, as the reference clamps them.
    const p = j < t.length ? j : 0;
    const o = (j - from) * d;
    for (let k = 0; k < d; k++) one[o + k] = (table[id * d + k] as number) + (t.decPos[p * d + k] as number) + (t.decMod[k] as number);
  }
  return one;
}

/** Causal mask [M, past + M] (1 = blocked): new row j sees every cached row and new rows ≤ j. */
export function stepMask(past: number, m: number): Uint8Array {
  const width = past + m;
  const mask = new Uint8Array(m * width);
  for (let i = 0; i < m; i++) for (let j = past + i + 1; j < width; j++) mask[i * width + j] = 1;
  return mask;
}

function repeat(one: Float32Array, times: number): Float32Array {
  const out = new Float32Array(one.length * times);
  for (let b = 0; b < times; b++) out.set(one, b * one.length);
  return out;
}

function repeat8(one: Uint8Array, times: number): Uint8Array {
  const out = new Uint8Array(one.length * times);
  for (let b = 0; b < times; b++) out.set(one, b * one.length);
  return out;
}
