import { sentinelId, sentinelIndexOf, type SpecialIds } from './vocabulary';

/**
 * A sequence with 4M's two masks. inputMask[i] = 1 hides position i from the encoder;
 * targetMask[i] = 0 marks position i as something the decoder must predict.
 */
export interface SequenceSlots {
  readonly ids: Int32Array;
  readonly inputMask: Uint8Array;
  readonly targetMask: Uint8Array;
}

/**
 * An empty target (4M's init_empty_target_modality): `[S_1] [S_1] [PAD]… [S_2]`, length ≥ 2.
 * The encoder sees only position 0; the decoder starts from [S_1] and stops at [S_2].
 */
export function buildEmptySequenceTarget(special: SpecialIds, length: number): SequenceSlots {
  const n = Math.max(2, Math.floor(length));
  const s1 = sentinelId(special, 1);
  const ids = new Int32Array(n).fill(special.pad);
  ids[0] = s1;
  ids[1] = s1;
  ids[n - 1] = sentinelId(special, 2);
  const inputMask = new Uint8Array(n).fill(1);
  inputMask[0] = 0;
  const targetMask = inputMask.map((v) => 1 - v);
  return { ids, inputMask, targetMask };
}

export interface CustomTextOptions {
  /** Target length, 4M's target_max_len (default 50). */
  readonly targetLength?: number;
  /** Sentinel index that starts the target (default 1, i.e. [S_1]). */
  readonly startSentinel?: number;
  /** Id the target ends with, which the decoder stops on (default [EOS], as custom_text does). */
  readonly stopId?: number;
}

/**
 * 4M's custom_text: the user's ids (which may contain [S_k] sentinels for infilling) stay visible,
 * followed by a target `[S_1] [PAD]… [EOS]` for the decoder. No EOS is added to the user part.
 */
export function buildCustomText(userIds: ArrayLike<number>, special: SpecialIds, options: CustomTextOptions = {}): SequenceSlots {
  const targetLength = Math.max(2, options.targetLength ?? 50);
  const user = Array.from(userIds);
  const target = new Array<number>(targetLength).fill(special.pad);
  target[0] = sentinelId(special, options.startSentinel ?? 1);
  target[targetLength - 1] = options.stopId ?? special.eos;
  const ids = Int32Array.from([...user, ...target]);
  const inputMask = new Uint8Array(ids.length);
  inputMask.fill(1, user.length);
  const targetMask = new Uint8Array(ids.length).fill(1);
  targetMask.fill(0, user.length);
  return { ids, inputMask, targetMask };
}

/** The sentinel indices k that appear in `ids`, in order of appearance. */
export function sentinelsIn(ids: ArrayLike<number>, special: SpecialIds): number[] {
  const found: number[] = [];
  for (const id of Array.from(ids)) {
    const k = sentinelIndexOf(special, id);
    if (k !== undefined) found.push(k);
  }
  return found;
}

/**
 * For infilling with several sentinels: the id the decoder should stop on, the sentinel after the
 * highest one used (4M's span-masking targets end with the next unused sentinel).
 */
export function nextUnusedSentinelId(ids: ArrayLike<number>, special: SpecialIds): number {
  const used = sentinelsIn(ids, special);
  return sentinelId(special, used.length === 0 ? 1 : Math.max(...used) + 1);
}

/** Splits decoder output into spans keyed by the sentinel index that precedes each one. */
export function splitBySentinel(output: ArrayLike<number>, special: SpecialIds): Map<number, number[]> {
  const spans = new Map<number, number[]>();
  let current: number[] | undefined; // tokens before the first sentinel belong to no span
  for (const id of Array.from(output)) {
    const k = sentinelIndexOf(special, id);
    if (k !== undefined) {
      current = [];
      if (!spans.has(k)) spans.set(k, current);
      continue;
    }
    current?.push(id);
  }
  return spans;
}

export interface MergedSequence {
  readonly ids: Int32Array;
  /** Sentinel indices in the input that the output had no span for (left empty). */
  readonly unfilled: number[];
}

/**
 * Splices generated spans back into the input (4M's merge_span_masking): every [S_k] in the input
 * is replaced by the tokens that follow [S_k] in the output, up to the next sentinel.
 */
export function mergeSentinelSpans(input: ArrayLike<number>, output: ArrayLike<number>, special: SpecialIds): MergedSequence {
  const spans = splitBySentinel(output, special);
  const merged: number[] = [];
  const unfilled: number[] = [];
  for (const id of Array.from(input)) {
    const k = sentinelIndexOf(special, id);
    if (k === undefined) {
      merged.push(id);
      continue;
    }
    const span = spans.get(k);
    if (span) merged.push(...span);
    else unfilled.push(k);
  }
  return { ids: Int32Array.from(merged), unfilled };
}
