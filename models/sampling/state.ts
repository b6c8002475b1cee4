/**
 * Generation state, mirroring 4M's `mod_dict` (reference §1.6), per modality:
 *   tokens      token ids;
 *   inputMask   1 = hidden from the encoder, 0 = fed to the encoder;
 *   targetMask  1 = not a target, 0 = still to be predicted by the decoder.
 * The 4M polarity (1 = "masked out") is kept on purpose so that traces and
 * masks can be compared with the reference one to one.
 */

export type ModalityKind = 'image' | 'sequence';

export interface ModalityState {
  readonly kind: ModalityKind;
  tokens: Int32Array;
  inputMask: Uint8Array;
  targetMask: Uint8Array;
}

/** Modality name (e.g. 'tok_rgb@224', 'caption') → its state. */
export type GenerationState = Readonly<Record<string, ModalityState>>;

/**
 * Special ids of the text vocabulary, looked up by the caller from the
 * tokenizer (never hard-coded here). `sentinels[k]` is the id of [S_k]
 * (k = 0, 1, 2, …), the same shape as models/tokenizers' `SpecialIds`, so
 * `readSpecialIds(...)` can be passed straight in.
 */
export interface SequenceVocab {
  readonly sentinels: readonly number[];
  readonly eos: number;
  readonly pad: number;
}

/** Id of [S_k]. */
export function sentinel(vocab: SequenceVocab, k: number): number {
  const id = vocab.sentinels[k];
  if (id === undefined) throw new Error(`SequenceVocab has no [S_${k}] (it lists ${vocab.sentinels.length} sentinels)`);
  return id;
}

const s1 = (vocab: SequenceVocab): number => sentinel(vocab, 1);
const s2 = (vocab: SequenceVocab): number => sentinel(vocab, 2);

export function cloneModality(m: ModalityState): ModalityState {
  return { kind: m.kind, tokens: m.tokens.slice(), inputMask: m.inputMask.slice(), targetMask: m.targetMask.slice() };
}

export function cloneState(state: GenerationState): Record<string, ModalityState> {
  const out: Record<string, ModalityState> = {};
  for (const [name, m] of Object.entries(state)) out[name] = cloneModality(m);
  return out;
}

export function getModality(state: GenerationState, name: string): ModalityState {
  const m = state[name];
  if (!m) throw new Error(`modality '${name}' is not in the generation state`);
  return m;
}

/** Positions still to be predicted (targetMask == 0), ascending. */
export function pendingPositions(m: ModalityState): Int32Array {
  let n = 0;
  for (let i = 0; i < m.targetMask.length; i++) if (m.targetMask[i] === 0) n++;
  const out = new Int32Array(n);
  let j = 0;
  for (let i = 0; i < m.targetMask.length; i++) if (m.targetMask[i] === 0) out[j++] = i;
  return out;
}

// ---- builders (reference §3.1) -------------------------------------------------------------

/** Image target to generate from scratch: every position hidden and to be predicted. */
export function emptyImageTarget(n: number): ModalityState {
  return { kind: 'image', tokens: new Int32Array(n), inputMask: new Uint8Array(n).fill(1), targetMask: new Uint8Array(n) };
}

/** Sequence target `[S_1] [S_1] 0 … 0 [S_2]`: the encoder sees only the first [S_1]. */
export function emptySequenceTarget(n: number, vocab: SequenceVocab): ModalityState {
  const len = Math.max(n, 2);
  const tokens = new Int32Array(len);
  tokens[0] = s1(vocab);
  tokens[1] = s1(vocab);
  tokens[len - 1] = s2(vocab);
  const inputMask = new Uint8Array(len).fill(1);
  inputMask[0] = 0;
  const targetMask = new Uint8Array(len);
  targetMask[0] = 1;
  return { kind: 'sequence', tokens, inputMask, targetMask };
}

/** Fully visible image condition. */
export function fullImageInput(tokens: ArrayLike<number>): ModalityState {
  const n = tokens.length;
  return { kind: 'image', tokens: Int32Array.from(tokens), inputMask: new Uint8Array(n), targetMask: new Uint8Array(n).fill(1) };
}

/**
 * Sequence condition, visible up to and including the first [EOS]. Deviation:
 * without an [EOS] one is appended (the reference overwrites token 0 with
 * [EOS], which would silently drop the user's text).
 */
export function fullSequenceInput(tokens: ArrayLike<number>, vocab: SequenceVocab): ModalityState {
  let ids = Array.from(tokens);
  let eosAt = ids.indexOf(vocab.eos);
  if (eosAt < 0) {
    ids = [...ids, vocab.eos];
    eosAt = ids.length - 1;
  }
  const n = ids.length;
  const inputMask = new Uint8Array(n);
  for (let i = eosAt + 1; i < n; i++) inputMask[i] = 1;
  return { kind: 'sequence', tokens: Int32Array.from(ids), inputMask, targetMask: new Uint8Array(n).fill(1) };
}

/**
 * `custom_text`: user ids (visible, no automatic [EOS]) followed by a target
 * part `[S_1] [PAD]… [EOS]` of `targetMaxLen` tokens. Sentinels inside the user
 * ids mark spans to infill; the AR stop token is the final [EOS].
 */
export function customTextTarget(inputIds: ArrayLike<number>, vocab: SequenceVocab, targetMaxLen = 50): ModalityState {
  const nIn = inputIds.length;
  const len = nIn + Math.max(targetMaxLen, 2);
  const tokens = new Int32Array(len).fill(vocab.pad);
  tokens.set(Array.from(inputIds), 0);
  tokens[nIn] = s1(vocab);
  tokens[len - 1] = vocab.eos;
  const inputMask = new Uint8Array(len);
  const targetMask = new Uint8Array(len);
  for (let i = 0; i < len; i++) {
    inputMask[i] = i < nIn ? 0 : 1;
    targetMask[i] = i < nIn ? 1 : 0;
  }
  return { kind: 'sequence', tokens, inputMask, targetMask };
}

/**
 * Token-level inpainting of an image modality (reference §3.8): where
 * keep[i] = 1 the token is a visible input; elsewhere it is hidden and regenerated.
 */
export function inpaintImageTarget(tokens: ArrayLike<number>, keep: ArrayLike<number>): ModalityState {
  if (keep.length !== tokens.length) throw new RangeError(`keep mask has ${keep.length} entries, tokens ${tokens.length}`);
  const n = tokens.length;
  const inputMask = new Uint8Array(n);
  const targetMask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const kept = keep[i] !== 0;
    inputMask[i] = kept ? 0 : 1;
    targetMask[i] = kept ? 1 : 0;
  }
  return { kind: 'image', tokens: Int32Array.from(tokens), inputMask, targetMask };
}

// ---- CFG unconditioning (reference §3.1) -----------------------------------------------------

/** Image condition removed entirely: hidden from the encoder. */
export function unconditionImage(m: ModalityState): ModalityState {
  const n = m.tokens.length;
  return { kind: 'image', tokens: m.tokens, inputMask: new Uint8Array(n).fill(1), targetMask: new Uint8Array(n) };
}

/** Sequence condition reduced to one visible [S_1] (not nothing). */
export function unconditionSequence(m: ModalityState, vocab: SequenceVocab): ModalityState {
  return emptySequenceTarget(m.tokens.length, vocab);
}

/** Copy of `state` (shallow for untouched modalities) with `conditions` emptied. */
export function withoutConditions(
  state: GenerationState,
  conditions: readonly string[],
  vocab: SequenceVocab | undefined,
): Record<string, ModalityState> {
  const out: Record<string, ModalityState> = { ...state };
  for (const name of conditions) {
    const m = state[name];
    if (!m) continue;
    if (m.kind === 'image') out[name] = unconditionImage(m);
    else {
      if (!vocab) throw new Error(`sequence condition '${name}' needs a SequenceVocab for guidance`);
      out[name] = unconditionSequence(m, vocab);
    }
  }
  return out;
}
