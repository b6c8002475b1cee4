import { describe, expect, it } from 'vitest';
import { NeighbourPrior } from '../../../../models/core/neighbour-prior';

/** The formula written out directly: strength · log(Σ w exp(−‖c(v) − c(n)‖²/width) / Σ w). */
function naive(levels: number[], strength: number, radius: number, sigma: number, width: number, position: number, side: number, tokens: Int32Array, inputMask: Uint8Array): Float64Array {
  const vocab = levels.reduce((a, l) => a * l, 1);
  const code = (id: number) => {
    const out: number[] = [];
    let x = id;
    for (const l of levels) {
      out.push(((x % l) / (l - 1)) * 2 - 1);
      x = Math.floor(x / l);
    }
    return out;
  };
  const row = Math.floor(position / side);
  const col = position % side;
  const nb: { id: number; w: number }[] = [];
  for (let dr = -radius; dr <= radius; dr++) {
    for (let dc = -radius; dc <= radius; dc++) {
      const r = row + dr;
      const c = col + dc;
      if ((dr === 0 && dc === 0) || r < 0 || c < 0 || r >= side || c >= side) continue;
      const p = r * side + c;
      if (inputMask[p] !== 0) continue;
      nb.push({ id: tokens[p] as number, w: Math.exp(-(dr * dr + dc * dc - 1) / (2 * sigma * sigma)) });
    }
  }
  const total = nb.reduce((a, n) => a + n.w, 0);
  return Float64Array.from({ length: vocab }, (_, v) => {
    const cv = code(v);
    let s = 0;
    for (const n of nb) {
      const cn = code(n.id);
      const d2 = cv.reduce((a, x, i) => a + (x - (cn[i] as number)) ** 2, 0);
      s += n.w * Math.exp(-d2 / width);
    }
    return strength * Math.log(s / total);
  });
}

describe('NeighbourPrior', () => {
  const levels = [4, 3, 5];
  const side = 5;

  it('adds the mixture of the visible neighbours’ votes, as the formula says', () => {
    const tokens = Int32Array.from({ length: 25 }, (_, i) => (i * 17) % 60);
    const inputMask = Uint8Array.from({ length: 25 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    for (const position of [0, 7, 12, 24]) {
      const prior = new NeighbourPrior(levels, 1.7, { radius: 2, sigma: 1.2, width: 0.4 });
      const logits = Float32Array.from({ length: 70 }, (_, i) => (i % 7) - 3);
      const before = logits.slice();
      prior.apply(logits, 5, position, side, tokens, inputMask);
      const want = naive(levels, 1.7, 2, 1.2, 0.4, position, side, tokens, inputMask);
      for (let v = 0; v < 60; v++) expect(logits[5 + v]).toBeCloseTo((before[5 + v] as number) + (want[v] as number), 4);
      // Outside the row: untouched.
      expect(Array.from(logits.subarray(0, 5))).toEqual(Array.from(before.subarray(0, 5)));
      expect(Array.from(logits.subarray(65))).toEqual(Array.from(before.subarray(65)));
    }
  });

  it('favours each neighbour’s own code, not the blend of two', () => {
    // Left neighbour code (0,0,0) = id 0, right neighbour the far corner id 59; nothing else visible.
    const tokens = new Int32Array(25);
    const inputMask = new Uint8Array(25).fill(1);
    tokens[11] = 0;
    inputMask[11] = 0;
    tokens[13] = 59;
    inputMask[13] = 0;
    const logits = new Float32Array(60);
    new NeighbourPrior(levels, 1, { radius: 1 }).apply(logits, 0, 12, side, tokens, inputMask);
    const middle = 1 + 1 * 4 + 2 * 12; // digits (1, 1, 2): the codes' midpoint, near enough
    expect(logits[0]).toBeCloseTo(logits[59] as number, 5);
    expect(logits[0]).toBeGreaterThan((logits[middle] as number) + 1);
  });

  it('leaves the logits alone with no visible neighbour or strength 0', () => {
    const tokens = new Int32Array(25);
    const hidden = new Uint8Array(25).fill(1);
    const logits = Float32Array.from({ length: 60 }, (_, i) => i / 10);
    const copy = logits.slice();
    expect(new NeighbourPrior(levels, 2).apply(logits, 0, 12, side, tokens, hidden)).toBe(0);
    expect(new NeighbourPrior(levels, 0).apply(logits, 0, 12, side, tokens, new Uint8Array(25))).toBe(0);
    expect(Array.from(logits)).toEqual(Array.from(copy));
  });

  it('refuses settings that make no prior', () => {
    expect(() => new NeighbourPrior([], 1)).toThrow(/levels/);
    expect(() => new NeighbourPrior([4, 1], 1)).toThrow(/levels/);
    expect(() => new NeighbourPrior(levels, -1)).toThrow(/strength/);
    expect(() => new NeighbourPrior(levels, Number.NaN)).toThrow(/strength/);
    expect(() => new NeighbourPrior(levels, 1, { radius: 0 })).toThrow(/radius/);
    expect(() => new NeighbourPrior(levels, 1, { width: 0 })).toThrow(/width/);
  });
});
