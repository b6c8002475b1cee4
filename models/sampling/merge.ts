/**
 * Splices generated spans back into a sequence's visible input (reference §2.4,
 * §3.3 step 4): each sentinel [S_k] in the input is replaced by the tokens that
 * follow [S_k] in the decoder output, up to the next sentinel or the end.
 */
import type { ModalityState, SequenceVocab } from './state';

export function mergeSpans(visible: ArrayLike<number>, generated: ArrayLike<number>, vocab: SequenceVocab): Int32Array {
  const sentinels = new Set(vocab.sentinels);
  const spanStart = new Map<number, number>();
  for (let i = 0; i < generated.length; i++) {
    const id = generated[i] as number;
    if (sentinels.has(id) && !spanStart.has(id)) spanStart.set(id, i + 1);
  }
  const out: number[] = [];
  for (let i = 0; i < visible.length; i++) {
    const id = visible[i] as number;
    if (!sentinels.has(id)) {
      out.push(id);
      continue;
    }
    const start = spanStart.get(id);
    if (start === undefined) continue; // the model produced no span for it: drop the sentinel
    for (let j = start; j < generated.length && !sentinels.has(generated[j] as number); j++) {
      out.push(generated[j] as number);
    }
  }
  return Int32Array.from(out);
}

/**
 * The sequence modality after generation: the merged ids, fully visible to the
 * encoder, and not a target (deviation: the reference leaves target_mask all
 * False here, which it notes is harmless; 1 is the honest value).
 */
export function mergedSequenceModality(m: ModalityState, generated: ArrayLike<number>, vocab: SequenceVocab): ModalityState {
  const visible: number[] = [];
  for (let i = 0; i < m.tokens.length; i++) if (m.inputMask[i] === 0) visible.push(m.tokens[i] as number);
  const tokens = mergeSpans(visible, generated, vocab);
  return {
    kind: 'sequence',
    tokens,
    inputMask: new Uint8Array(tokens.length),
    targetMask: new Uint8Array(tokens.length).fill(1),
  };
}
