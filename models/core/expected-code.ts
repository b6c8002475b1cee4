/**
 * Expected-code token choice for FSQ tokenizers. An FSQ token id is a mixed-radix number whose
 * digits are the quantised code's coordinates (levels[0] varies fastest), and its codebook is the
 * full lattice of those digits. The token whose code is nearest (squared error) to the model's
 * expected code is therefore the per-coordinate rounding of the expected digits: the minimum
 * expected code error choice, where argmax picks the single likeliest id and ignores that its
 * neighbours in code space decode to nearly the same pixels. Fills come out smoother and closer to
 * the truth on average (what repairs want); variety needs sampling instead.
 */
import type { SampledToken } from './sample';
import { softmaxInto } from './softmax';

/** Digit i of every id as a table: [levels.length][vocab] (built once per target). */
export class CodeLattice {
  readonly vocabSize: number;
  private readonly digits: Uint16Array[];
  private readonly basis: number[];

  constructor(readonly levels: readonly number[]) {
    if (levels.length === 0 || levels.some((l) => !Number.isInteger(l) || l < 2)) {
      throw new RangeError(`FSQ levels must be integers ≥ 2, got [${levels.join(', ')}]`);
    }
    this.vocabSize = levels.reduce((a, l) => a * l, 1);
    this.basis = [];
    let b = 1;
    for (const l of levels) {
      this.basis.push(b);
      b *= l;
    }
    this.digits = levels.map((l, i) => Uint16Array.from({ length: this.vocabSize }, (_, id) => Math.floor(id / (this.basis[i] as number)) % l));
  }

  /** The id whose digits are `digits` (each clamped to its level). */
  idOf(digits: readonly number[]): number {
    let id = 0;
    this.levels.forEach((l, i) => (id += Math.min(l - 1, Math.max(0, Math.round(digits[i] as number))) * (this.basis[i] as number)));
    return id;
  }

  /**
   * The token nearest the expected code of softmax(logits[offset .. offset + V)) (temperature 1:
   * the model's own distribution), and its probability. `probs` is scratch of length V.
   */
  expectedToken(logits: Float32Array, offset: number, probs: Float32Array): SampledToken {
    const v = this.vocabSize;
    if (probs.length < v) throw new RangeError(`scratch of ${probs.length} for a vocabulary of ${v}`);
    softmaxInto(logits.subarray(offset, offset + v), probs, 1);
    const expected = this.digits.map((d) => {
      let s = 0;
      for (let id = 0; id < v; id++) s += (probs[id] as number) * (d[id] as number);
      return s;
    });
    const token = this.idOf(expected);
    return { token, prob: probs[token] as number };
  }
}
