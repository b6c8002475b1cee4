/**
 * Neighbour agreement for FSQ image tokens. Step-wise samplers (ROAR, MaskGIT) draw each new token
 * from the model's distribution alone; when that distribution is broad (a small model, a sparse
 * condition) neighbouring tokens get unrelated colours: confetti. This adds to a token's logits
 *
 *     strength · log( Σ_n w_n exp(−‖c(v) − c(n)‖² / width) / Σ_n w_n )
 *
 * over the already visible tokens n within `radius` of the position (w_n a Gaussian of the grid
 * distance, 1 for the four nearest), where c(·) is a token's FSQ code scaled to [−1, 1] per digit.
 * A mixture, not a pull to the neighbours' mean code: between two colours it favours either one,
 * never their blend. With no visible neighbour the logits are unchanged. Product of experts: the
 * model proposes, the neighbours vote; temperature and top-p then act on the sum as on the model's
 * own logits.
 */
export interface NeighbourPriorOptions {
  /** Grid distance (in tokens, per axis) of the neighbours that vote. */
  readonly radius?: number;
  /** Gaussian fall-off of a neighbour's weight with its grid distance. */
  readonly sigma?: number;
  /** Code distance² at which a neighbour's vote has fallen by e. */
  readonly width?: number;
}

export const NEIGHBOUR_PRIOR_DEFAULTS: Required<NeighbourPriorOptions> = { radius: 3, sigma: 1.5, width: 0.5 };

export class NeighbourPrior {
  readonly vocabSize: number;
  private readonly levels: readonly number[];
  /**
   * Per digit i, exp(−(c_i(a) − c_i(b))² / width) for levels a, b ([a · l_i + b]), the code scaled to
   * [−1, 1]: the vote factorises over digits, so these tables are all it needs.
   */
  private readonly agree: Float64Array[];
  /** Digits 1.. of every "high" index h = floor(id / levels[0]), [high][levels.length − 1]. */
  private readonly highDigits: Uint8Array;
  private readonly highCount: number;
  private readonly radius: number;
  private readonly sigma: number;
  // Scratch, reused across calls.
  private readonly low: Float64Array;
  private readonly high: Float64Array;
  private readonly mix: Float64Array;

  constructor(
    levels: readonly number[],
    readonly strength: number,
    options: NeighbourPriorOptions = {},
  ) {
    if (levels.length === 0 || levels.some((l) => !Number.isInteger(l) || l < 2 || l > 255)) {
      throw new RangeError(`FSQ levels must be integers in [2, 255], got [${levels.join(', ')}]`);
    }
    if (!(strength >= 0) || !Number.isFinite(strength)) throw new RangeError(`neighbour strength must be ≥ 0, got ${strength}`);
    const o = { ...NEIGHBOUR_PRIOR_DEFAULTS, ...options };
    if (!Number.isInteger(o.radius) || o.radius < 1) throw new RangeError(`neighbour radius must be an integer ≥ 1, got ${o.radius}`);
    if (!(o.sigma > 0) || !(o.width > 0)) throw new RangeError(`neighbour sigma and width must be > 0, got ${o.sigma} and ${o.width}`);
    this.radius = o.radius;
    this.sigma = o.sigma;
    this.levels = levels;
    this.vocabSize = levels.reduce((a, l) => a * l, 1);
    this.agree = levels.map((l) => {
      const c = (d: number) => (d / (l - 1)) * 2 - 1;
      return Float64Array.from({ length: l * l }, (_, k) => Math.exp(-((c(Math.floor(k / l)) - c(k % l)) ** 2) / o.width));
    });
    // levels[0] varies fastest (the tokenizer's mixed radix, as expected-code.ts).
    const low = levels[0] as number;
    this.highCount = this.vocabSize / low;
    const rest = levels.length - 1;
    this.highDigits = new Uint8Array(this.highCount * rest);
    for (let h = 0; h < this.highCount; h++) {
      let x = h;
      for (let i = 1; i < levels.length; i++) {
        const l = levels[i] as number;
        this.highDigits[h * rest + i - 1] = x % l;
        x = Math.floor(x / l);
      }
    }
    this.low = new Float64Array(low);
    this.high = new Float64Array(this.highCount);
    this.mix = new Float64Array(this.vocabSize);
  }

  /**
   * Adds the agreement term in place to `logits[offset .. offset + V)` for the token at `position`
   * of a `side`×`side` grid, given the grid's `tokens` and which are visible (`inputMask[p] === 0`,
   * 4M's polarity). Returns the total weight of the neighbours that voted (0: logits unchanged).
   */
  apply(logits: Float32Array, offset: number, position: number, side: number, tokens: Int32Array, inputMask: Uint8Array): number {
    if (this.strength === 0) return 0;
    const votes = this.neighbours(position, side, tokens, inputMask);
    if (votes.size === 0) return 0;
    const levels = this.levels;
    const low = levels[0] as number;
    const rest = levels.length - 1;
    const mix = this.mix.fill(0);
    let total = 0;
    for (const [id, w] of votes) {
      total += w;
      // exp(−‖c(v) − c(n)‖²/width) factorises over digits: digit 0 apart, the others as one "high" factor.
      const n0 = id % low;
      const nh = (id - n0) / low;
      const a0 = this.agree[0] as Float64Array;
      for (let d = 0; d < low; d++) this.low[d] = w * (a0[d * low + n0] as number);
      for (let h = 0; h < this.highCount; h++) {
        let p = 1;
        for (let j = 0; j < rest; j++) {
          const l = levels[j + 1] as number;
          p *= (this.agree[j + 1] as Float64Array)[(this.highDigits[h * rest + j] as number) * l + (this.highDigits[nh * rest + j] as number)] as number;
        }
        this.high[h] = p;
      }
      for (let h = 0, v = 0; h < this.highCount; h++) {
        const hp = this.high[h] as number;
        for (let d = 0; d < low; d++, v++) mix[v] = (mix[v] as number) + hp * (this.low[d] as number);
      }
    }
    const s = this.strength;
    for (let v = 0; v < this.vocabSize; v++) {
      logits[offset + v] = (logits[offset + v] as number) + s * Math.log((mix[v] as number) / total);
    }
    return total;
  }

  /** Visible tokens within the radius, as id → summed weight (equal ids vote once, with both weights). */
  private neighbours(position: number, side: number, tokens: Int32Array, inputMask: Uint8Array): Map<number, number> {
    const votes = new Map<number, number>();
    const row = Math.floor(position / side);
    const col = position % side;
    const R = this.radius;
    const twoSigma2 = 2 * this.sigma * this.sigma;
    for (let dr = -R; dr <= R; dr++) {
      const r = row + dr;
      if (r < 0 || r >= side) continue;
      for (let dc = -R; dc <= R; dc++) {
        const c = col + dc;
        if ((dr === 0 && dc === 0) || c < 0 || c >= side) continue;
        const p = r * side + c;
        if (inputMask[p] !== 0) continue;
        const id = tokens[p] as number;
        if (!(id >= 0 && id < this.vocabSize)) continue;
        votes.set(id, (votes.get(id) ?? 0) + Math.exp(-(dr * dr + dc * dc - 1) / twoSigma2));
      }
    }
    return votes;
  }
}
