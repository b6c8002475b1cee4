/**
 * Seeded pseudo-random numbers: xoshiro128** seeded through splitmix32.
 * Only 32-bit integer maths (Math.imul, >>>), so a seed gives the same stream
 * on every JS engine and platform.
 */

export interface Rng {
  /** Next uniform uint32. */
  nextUint32(): number;
  /** Next uniform float in [0, 1) with 32 bits of resolution. */
  nextFloat(): number;
  /** Uniform integer in [0, bound). bound must be in [1, 2^32]. */
  nextInt(bound: number): number;
}

const TWO_POW_32 = 4294967296;

/** splitmix32 step: a well-mixed uint32 for each call, used to expand seeds. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A finaliser-quality 32-bit mix of an accumulator with one more word. */
function mixWord(acc: number, word: number): number {
  let h = (acc ^ Math.imul(word >>> 0, 0xcc9e2d51)) >>> 0;
  h = ((h << 13) | (h >>> 19)) >>> 0;
  h = (Math.imul(h, 5) + 0xe6546b64) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Splits a non-negative safe integer seed into low and high uint32 words. */
function seedWords(seed: number): [number, number] {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`seed must be a non-negative safe integer, got ${seed}`);
  }
  return [seed >>> 0, Math.floor(seed / TWO_POW_32) >>> 0];
}

/** Hashes a label such as 'positions' into a uint32 (FNV-1a). */
export function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

class Xoshiro128ss implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed32: number) {
    const st = { s: seed32 | 0 };
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = splitmix32(st);
    if ((this.a | this.b | this.c | this.d) === 0) this.d = 1; // all-zero state is a fixed point
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  nextFloat(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  nextInt(bound: number): number {
    if (!(bound >= 1 && bound <= TWO_POW_32)) throw new RangeError(`bad bound ${bound}`);
    // Rejection sampling keeps the draw unbiased.
    const limit = TWO_POW_32 - (TWO_POW_32 % bound);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % bound;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A generator for a plain seed. */
export function createRng(seed: number): Rng {
  const [lo, hi] = seedWords(seed);
  return new Xoshiro128ss(mixWord(mixWord(0x6d2b79f5, lo), hi));
}

/**
 * An independent stream for (seed, ...parts). Parts are integers (e.g. a step
 * index) or labels (e.g. 'positions', 'tokens'), so that drawing positions
 * never shifts the token draws of the same step and vice versa.
 */
export function deriveRng(seed: number, ...parts: ReadonlyArray<number | string>): Rng {
  const [lo, hi] = seedWords(seed);
  let h = mixWord(mixWord(0x6d2b79f5, lo), hi);
  for (const part of parts) {
    const word = typeof part === 'string' ? hashLabel(part) : part >>> 0;
    h = mixWord(h, word);
  }
  return new Xoshiro128ss(h);
}
