/**
 * Gathers the encoder input of a batch of generation states (reference §1.4,
 * §1.5): every visible token (inputMask == 0) of every modality, in manifest
 * order, as x = token_emb[id] and emb = pos_emb[p] + mod_emb. Images use the
 * grid position; sequences number their visible tokens 0, 1, 2, ….
 * Rows shorter than the longest are zero-padded with pad = true.
 */
import type { GenerationState } from '../../sampling';
import type { FmEmbeddings } from './embeddings';

export interface EncoderBatch {
  readonly batch: number;
  readonly tokens: number;
  readonly x: Float32Array;
  readonly emb: Float32Array;
  /** 1 = padding (ORT bool). */
  readonly pad: Uint8Array;
  /** Visible-token count of each row. */
  readonly lengths: Int32Array;
}

/** Number of tokens the encoder sees for a state. */
export function visibleCount(state: GenerationState, emb: FmEmbeddings): number {
  let n = 0;
  for (const name of emb.order) {
    const m = state[name];
    if (!m) continue;
    for (let i = 0; i < m.inputMask.length; i++) if (m.inputMask[i] === 0) n++;
  }
  return n;
}

export function gatherEncoderBatch(states: readonly GenerationState[], emb: FmEmbeddings): EncoderBatch {
  checkModalities(states, emb);
  const lengths = Int32Array.from(states, (s) => visibleCount(s, emb));
  const tokens = Math.max(0, ...lengths);
  const d = emb.dim;
  const x = new Float32Array(states.length * tokens * d);
  const e = new Float32Array(states.length * tokens * d);
  const pad = new Uint8Array(states.length * tokens).fill(1);
  states.forEach((state, b) => {
    let row = b * tokens;
    for (const name of emb.order) {
      const m = state[name];
      if (!m) continue;
      const t = emb.modalities.get(name);
      if (!t) continue;
      let seqPos = 0;
      for (let i = 0; i < m.tokens.length; i++) {
        if (m.inputMask[i] !== 0) continue;
        const id = m.tokens[i] as number;
        if (id < 0 || id >= t.vocabSize) throw new RangeError(`${name}[${i}] = ${id} is outside the vocabulary 0…${t.vocabSize - 1}`);
        const p = t.kind === 'image' ? i : seqPos++;
        if (p >= t.length) throw new RangeError(`${name}: visible token ${i} at position ${p} exceeds the ${t.length} positions the model knows`);
        const o = row * d;
        x.set(t.encTokens.subarray(id * d, id * d + d), o);
        for (let k = 0; k < d; k++) e[o + k] = (t.encPos[p * d + k] as number) + (t.encMod[k] as number);
        pad[row] = 0;
        row++;
      }
    }
  });
  return { batch: states.length, tokens, x, emb: e, pad, lengths };
}

function checkModalities(states: readonly GenerationState[], emb: FmEmbeddings): void {
  for (const state of states) {
    for (const [name, m] of Object.entries(state)) {
      const t = emb.modalities.get(name);
      if (!t) throw new Error(`the model has no modality "${name}" (it has ${emb.order.join(', ')})`);
      if (!t.input && m.inputMask.some((v) => v === 0)) throw new Error(`${name} is not an input of this model (it has no encoder embedding)`);
      if (m.tokens.length > t.length) throw new RangeError(`${name} has ${m.tokens.length} tokens; the model knows ${t.length} positions`);
    }
  }
}
