import type { GenerationState, ImageLogitsQuery, ModelStep, SequenceLogitsQuery } from '../../../../models/sampling';

/** Number of tokens the encoder would see (inputMask == 0) over all modalities. */
export function visibleCount(state: GenerationState): number {
  let n = 0;
  for (const m of Object.values(state)) for (const b of m.inputMask) if (b === 0) n++;
  return n;
}

export function visibleIn(state: GenerationState, name: string): number {
  const m = state[name];
  if (!m) return 0;
  let n = 0;
  for (const b of m.inputMask) if (b === 0) n++;
  return n;
}

/** Smooth pseudo-logits that depend on position, token and what the encoder sees. */
export function pseudoLogit(p: number, v: number, context: number): number {
  return 3 * Math.sin(p * 0.731 + v * 1.37 + context * 0.113);
}

export interface FakeModelLog {
  image: ImageLogitsQuery[][];
  sequence: SequenceLogitsQuery[][];
}

/**
 * A deterministic stand-in for the network. `sequenceScript`, when given, makes
 * the AR model put a big logit on script[prefix.length - 1].
 */
export function fakeModel(vocabSize: number, sequenceScript?: readonly number[]): { model: ModelStep; log: FakeModelLog } {
  const log: FakeModelLog = { image: [], sequence: [] };
  const model: ModelStep = {
    async imageLogits(queries) {
      log.image.push([...queries]);
      return queries.map((q) => {
        const ctx = visibleCount(q.state);
        const out = new Float32Array(q.positions.length * vocabSize);
        q.positions.forEach((p, r) => {
          for (let v = 0; v < vocabSize; v++) out[r * vocabSize + v] = pseudoLogit(p, v, ctx);
        });
        return out;
      });
    },
    async sequenceLogits(queries) {
      log.sequence.push([...queries]);
      return queries.map((q) => {
        const out = new Float32Array(vocabSize);
        const ctx = visibleCount(q.state);
        for (let v = 0; v < vocabSize; v++) out[v] = pseudoLogit(q.prefix.length, v, ctx);
        const scripted = sequenceScript?.[q.prefix.length - 1];
        if (scripted !== undefined) out[scripted] = 50;
        return out;
      });
    },
  };
  return { model, log };
}

/** Made-up ids ([S_0]…[S_3] = 104…107): the real ones come from the tokenizer. */
export const VOCAB = { sentinels: [104, 105, 106, 107], eos: 103, pad: 100 };
