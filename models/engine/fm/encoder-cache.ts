/**
 * Encoder outputs kept by what the encoder saw, so a row whose visible tokens
 * were already encoded during this generation is copied instead of re-run.
 * Independent targets all see the same conditions, so a request that predicts
 * four layers from one picture encodes the picture once. The key is exact
 * (every visible modality, position and id), never a hash alone.
 */
import type { GenerationState } from '../../sampling';
import type { FmEmbeddings } from './embeddings';

/** What the encoder sees of a state: (modality index, position, id) per visible token, in gather order. */
export function encoderKey(state: GenerationState, emb: FmEmbeddings): Int32Array {
  const parts: number[] = [];
  emb.order.forEach((name, modIndex) => {
    const m = state[name];
    if (!m) return;
    for (let i = 0; i < m.tokens.length; i++) if (m.inputMask[i] === 0) parts.push(modIndex, i, m.tokens[i] as number);
  });
  return Int32Array.from(parts);
}

interface Entry {
  readonly key: Int32Array;
  /** [tokens, d] encoder output of the row, unpadded. */
  readonly context: Float32Array;
}

/** A few rows, most recent first; a generation touches one or two conditions at a time. */
export class EncoderRowCache {
  private entries: Entry[] = [];

  constructor(private readonly capacity = 8) {}

  get(key: Int32Array): Float32Array | undefined {
    const hit = this.entries.find((e) => sameIds(e.key, key));
    if (hit) this.entries = [hit, ...this.entries.filter((e) => e !== hit)];
    return hit?.context;
  }

  set(key: Int32Array, context: Float32Array): void {
    this.entries = [{ key, context }, ...this.entries.filter((e) => !sameIds(e.key, key))].slice(0, this.capacity);
  }

  clear(): void {
    this.entries = [];
  }

  get size(): number {
    return this.entries.length;
  }
}

/** Same ids in the same order. */
export function sameIds(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
