// zlib streams (RFC 1950 around RFC 1951 deflate) for the PNG chunks of project files.
// Synchronous and dependency-free, so saveProject and restoreProject stay synchronous in the page
// and in main. Compression is LZ77 (hash chains) and one block with Huffman codes built for it (what
// shrinks a photo's filtered residuals; painted flat colours mostly go to LZ77), stored blocks when
// that would not be smaller. Decompression reads every block type, its output bounded by the caller.

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

const WINDOW = 32768;
const MIN_MATCH = 3;
const MAX_MATCH = 258;
const HASH_BITS = 15;
/** How many earlier positions a match search tries: enough for pictures, bounded for noise. */
const MAX_CHAIN = 64;

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; ) {
    // 5552 bytes is the most that can be summed before the 32-bit sums must be reduced.
    const end = Math.min(i + 5552, bytes.length);
    for (; i < end; i++) {
      a += bytes[i] ?? 0;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

class BitWriter {
  private buf = new Uint8Array(1024);
  private size = 0;
  private acc = 0;
  private count = 0;

  byte(v: number): void {
    if (this.size === this.buf.length) {
      const grown = new Uint8Array(this.buf.length * 2);
      grown.set(this.buf);
      this.buf = grown;
    }
    this.buf[this.size++] = v;
  }

  /** `n` bits of `value`, least significant first (deflate's bit order). */
  bits(value: number, n: number): void {
    this.acc |= value << this.count;
    this.count += n;
    while (this.count >= 8) {
      this.byte(this.acc & 0xff);
      this.acc >>>= 8;
      this.count -= 8;
    }
  }

  /** A Huffman code, which deflate packs most significant bit first. */
  code(code: number, length: number): void {
    let reversed = 0;
    for (let i = 0; i < length; i++) reversed |= ((code >> i) & 1) << (length - 1 - i);
    this.bits(reversed, length);
  }

  flush(): void {
    if (this.count > 0) this.byte(this.acc & 0xff);
    this.acc = 0;
    this.count = 0;
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.size);
  }
}

function lastAtMost(table: readonly number[], v: number): number {
  let i = table.length - 1;
  while (i > 0 && (table[i] ?? 0) > v) i--;
  return i;
}

/**
 * The LZ77 pass: the data as literals and (length, distance) matches, packed one per Int32
 * (a literal as its byte value; a match as length << 16 | distance, length ≥ 3 so never < 65536).
 */
function lz77(data: Uint8Array): Int32Array {
  const n = data.length;
  const tokens = new Int32Array(n);
  let count = 0;
  const head = new Int32Array(1 << HASH_BITS).fill(-1);
  const prev = new Int32Array(WINDOW).fill(-1);
  const hash = (i: number): number => (((data[i] ?? 0) << 10) ^ ((data[i + 1] ?? 0) << 5) ^ (data[i + 2] ?? 0)) & ((1 << HASH_BITS) - 1);
  const insert = (i: number): void => {
    if (i + MIN_MATCH > n) return;
    const h = hash(i);
    prev[i & (WINDOW - 1)] = head[h] ?? -1;
    head[h] = i;
  };
  let i = 0;
  while (i < n) {
    let bestLength = 0;
    let bestDistance = 0;
    if (i + MIN_MATCH <= n) {
      const max = Math.min(MAX_MATCH, n - i);
      let candidate = head[hash(i)] ?? -1;
      for (let chain = MAX_CHAIN; candidate >= 0 && i - candidate <= WINDOW && chain > 0; chain--) {
        let length = 0;
        while (length < max && data[candidate + length] === data[i + length]) length++;
        if (length > bestLength) {
          bestLength = length;
          bestDistance = i - candidate;
          if (length === max) break;
        }
        const next = prev[candidate & (WINDOW - 1)] ?? -1;
        // A slot overwritten by a newer position would lead forwards: the chain ends there.
        if (next >= candidate) break;
        candidate = next;
      }
    }
    if (bestLength >= MIN_MATCH) {
      tokens[count++] = (bestLength << 16) | bestDistance;
      for (let k = 0; k < bestLength; k++) insert(i + k);
      i += bestLength;
    } else {
      tokens[count++] = data[i] ?? 0;
      insert(i);
      i++;
    }
  }
  return tokens.subarray(0, count);
}

/** Huffman code lengths for `freq`, none longer than `limit` (frequencies are flattened until they fit). */
function codeLengths(freq: ArrayLike<number>, limit: number): Uint8Array {
  let f = Array.from(freq);
  for (;;) {
    const lengths = huffmanLengths(f);
    if (lengths.every((l) => l <= limit)) return lengths;
    f = f.map((v) => (v === 0 ? 0 : (v + 1) >> 1));
  }
}

function huffmanLengths(freq: readonly number[]): Uint8Array {
  const lengths = new Uint8Array(freq.length);
  const leaves = freq.flatMap((f, s) => (f > 0 ? [s] : [])).sort((a, b) => (freq[a] ?? 0) - (freq[b] ?? 0) || a - b);
  const m = leaves.length;
  if (m === 1) lengths[leaves[0] ?? 0] = 1;
  if (m <= 1) return lengths;
  // Two queues: leaves in order of weight, and internal nodes, which are made in order of weight.
  const weight = new Float64Array(2 * m - 1);
  const parent = new Int32Array(2 * m - 1);
  leaves.forEach((s, i) => (weight[i] = freq[s] ?? 0));
  let leaf = 0;
  let inner = m;
  const take = (made: number): number => (leaf < m && (inner >= made || (weight[leaf] ?? 0) <= (weight[inner] ?? 0)) ? leaf++ : inner++);
  for (let made = m; made < 2 * m - 1; made++) {
    const a = take(made);
    const b = take(made);
    weight[made] = (weight[a] ?? 0) + (weight[b] ?? 0);
    parent[a] = made;
    parent[b] = made;
  }
  const depth = new Uint8Array(2 * m - 1);
  for (let i = 2 * m - 3; i >= 0; i--) depth[i] = (depth[parent[i] ?? 0] ?? 0) + 1;
  leaves.forEach((s, i) => (lengths[s] = depth[i] ?? 0));
  return lengths;
}

/** Canonical codes for code lengths (RFC 1951 3.2.2). */
function canonicalCodes(lengths: Uint8Array): Uint16Array {
  const count = new Uint16Array(16);
  for (const l of lengths) if (l) count[l]!++;
  const next = new Uint16Array(16);
  for (let len = 1, code = 0; len < 16; len++) {
    code = (code + (count[len - 1] ?? 0)) << 1;
    next[len] = len === 1 ? 0 : code;
  }
  const codes = new Uint16Array(lengths.length);
  lengths.forEach((l, s) => {
    if (l) codes[s] = next[l]!++;
  });
  return codes;
}

/** Code lengths as deflate's code-length alphabet: [symbol, extra bits value] pairs (16 repeats, 17/18 zero runs). */
function runLengths(lengths: Uint8Array): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < lengths.length; ) {
    const v = lengths[i] ?? 0;
    let run = 1;
    while (i + run < lengths.length && lengths[i + run] === v) run++;
    i += run;
    if (v === 0) {
      while (run >= 11) {
        const r = Math.min(run, 138);
        out.push([18, r - 11]);
        run -= r;
      }
      if (run >= 3) {
        out.push([17, run - 3]);
        run = 0;
      }
    } else {
      out.push([v, 0]);
      run--;
      while (run >= 3) {
        const r = Math.min(run, 6);
        out.push([16, r - 3]);
        run -= r;
      }
    }
    for (; run > 0; run--) out.push([v, 0]);
  }
  return out;
}

const EXTRA_OF_LENGTH_SYMBOL: Readonly<Record<number, number>> = { 16: 2, 17: 3, 18: 7 };

/** One final block with dynamic Huffman codes built for these tokens. */
function dynamicBlock(w: BitWriter, tokens: Int32Array): void {
  const litFreq = new Uint32Array(286);
  const distFreq = new Uint32Array(30);
  for (const t of tokens) {
    if (t < 65536) litFreq[t]!++;
    else {
      litFreq[257 + lastAtMost(LENGTH_BASE, t >>> 16)]!++;
      distFreq[lastAtMost(DIST_BASE, t & 0xffff)]!++;
    }
  }
  litFreq[256] = 1;
  // Two codes at least in each table, so both are complete (one code alone is a corner decoders disagree on).
  if (litFreq.filter((f) => f > 0).length < 2) litFreq[litFreq[0] ? 1 : 0] = 1;
  while (distFreq.filter((f) => f > 0).length < 2) distFreq[distFreq[0] ? 1 : 0] = 1;
  const litLengths = codeLengths(litFreq, 15);
  const distLengths = codeLengths(distFreq, 15);
  let nlit = 286;
  while (nlit > 257 && litLengths[nlit - 1] === 0) nlit--;
  let ndist = 30;
  while (ndist > 1 && distLengths[ndist - 1] === 0) ndist--;
  const rle = runLengths(Uint8Array.from([...litLengths.subarray(0, nlit), ...distLengths.subarray(0, ndist)]));
  const clFreq = new Uint32Array(19);
  for (const [sym] of rle) clFreq[sym ?? 0]!++;
  if (clFreq.filter((f) => f > 0).length < 2) clFreq[clFreq[0] ? 1 : 0] = 1;
  const clLengths = codeLengths(clFreq, 7);
  const clCodes = canonicalCodes(clLengths);
  let ncl = 19;
  while (ncl > 4 && clLengths[CODE_LENGTH_ORDER[ncl - 1] ?? 0] === 0) ncl--;

  w.bits(1, 1); // the final (only) block
  w.bits(2, 2); // dynamic Huffman codes
  w.bits(nlit - 257, 5);
  w.bits(ndist - 1, 5);
  w.bits(ncl - 4, 4);
  for (let i = 0; i < ncl; i++) w.bits(clLengths[CODE_LENGTH_ORDER[i] ?? 0] ?? 0, 3);
  for (const [sym = 0, extra = 0] of rle) {
    w.code(clCodes[sym] ?? 0, clLengths[sym] ?? 0);
    if (sym >= 16) w.bits(extra, EXTRA_OF_LENGTH_SYMBOL[sym] ?? 0);
  }
  const litCodes = canonicalCodes(litLengths);
  const distCodes = canonicalCodes(distLengths);
  const lit = (sym: number): void => w.code(litCodes[sym] ?? 0, litLengths[sym] ?? 0);
  for (const t of tokens) {
    if (t < 65536) {
      lit(t);
      continue;
    }
    const length = t >>> 16;
    const distance = t & 0xffff;
    const li = lastAtMost(LENGTH_BASE, length);
    lit(257 + li);
    w.bits(length - (LENGTH_BASE[li] ?? 0), LENGTH_EXTRA[li] ?? 0);
    const di = lastAtMost(DIST_BASE, distance);
    w.code(distCodes[di] ?? 0, distLengths[di] ?? 0);
    w.bits(distance - (DIST_BASE[di] ?? 0), DIST_EXTRA[di] ?? 0);
  }
  lit(256);
}

/** The data as stored (uncompressed) blocks: for data that does not compress (noise). */
function storedBlocks(w: BitWriter, data: Uint8Array): void {
  for (let at = 0; at < data.length || at === 0; at += 65535) {
    const len = Math.min(65535, data.length - at);
    w.bits(at + len >= data.length ? 1 : 0, 1);
    w.bits(0, 2);
    w.flush();
    for (const v of [len & 0xff, len >> 8, ~len & 0xff, (~len >> 8) & 0xff]) w.byte(v);
    for (let i = 0; i < len; i++) w.byte(data[at + i] ?? 0);
    if (data.length === 0) break;
  }
}

/** `data` as a zlib stream. Deterministic: the same bytes always give the same stream. */
export function deflateZlib(data: Uint8Array): Uint8Array {
  const w = new BitWriter();
  w.byte(0x78);
  w.byte(0x01);
  dynamicBlock(w, lz77(data));
  w.flush();
  let body = w.bytes();
  // Dynamic codes can't shrink noise and cost their tables: then the bytes go in as they are.
  if (body.length > data.length + 5 * Math.ceil(data.length / 65535 + 1)) {
    const stored = new BitWriter();
    stored.byte(0x78);
    stored.byte(0x01);
    storedBlocks(stored, data);
    body = stored.bytes();
  }
  const sum = adler32(data);
  const out = new Uint8Array(body.length + 4);
  out.set(body);
  new DataView(out.buffer).setUint32(body.length, sum);
  return out;
}

class InflateError extends Error {}

class BitReader {
  private pos: number;
  private acc = 0;
  private count = 0;

  constructor(
    private readonly data: Uint8Array,
    start: number,
  ) {
    this.pos = start;
  }

  bits(n: number): number {
    while (this.count < n) {
      if (this.pos >= this.data.length) throw new InflateError('the compressed data ends early');
      this.acc |= (this.data[this.pos++] ?? 0) << this.count;
      this.count += 8;
    }
    const v = this.acc & ((1 << n) - 1);
    this.acc >>>= n;
    this.count -= n;
    return v;
  }

  /** Drops the rest of the current byte; returns the position of the next whole byte. */
  align(): number {
    this.acc = 0;
    this.count = 0;
    return this.pos;
  }

  skipTo(pos: number): void {
    this.pos = pos;
  }
}

interface Huffman {
  readonly count: Uint16Array;
  readonly symbol: Uint16Array;
}

/** A canonical Huffman decoding table from code lengths (symbols sorted by length, then value). */
function huffman(lengths: ArrayLike<number>): Huffman {
  const count = new Uint16Array(16);
  for (let s = 0; s < lengths.length; s++) count[lengths[s] ?? 0]!++;
  let left = 1;
  for (let len = 1; len < 16; len++) {
    left = left * 2 - (count[len] ?? 0);
    if (left < 0) throw new InflateError('a Huffman table has more codes than its lengths allow');
  }
  const offsets = new Uint16Array(16);
  for (let len = 1; len < 15; len++) offsets[len + 1] = (offsets[len] ?? 0) + (count[len] ?? 0);
  const symbol = new Uint16Array(lengths.length);
  for (let s = 0; s < lengths.length; s++) {
    const len = lengths[s] ?? 0;
    if (len !== 0) symbol[offsets[len]!++] = s;
  }
  count[0] = 0;
  return { count, symbol };
}

function decodeSymbol(r: BitReader, h: Huffman): number {
  let code = 0;
  let first = 0;
  let index = 0;
  for (let len = 1; len < 16; len++) {
    code |= r.bits(1);
    const count = h.count[len] ?? 0;
    if (code - count < first) return h.symbol[index + (code - first)] ?? 0;
    index += count;
    first = (first + count) << 1;
    code <<= 1;
  }
  throw new InflateError('a code that its Huffman table does not hold');
}

let fixed: { lit: Huffman; dist: Huffman } | null = null;

function fixedTables(): { lit: Huffman; dist: Huffman } {
  if (fixed) return fixed;
  const lit = new Uint8Array(288);
  lit.fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288);
  fixed = { lit: huffman(lit), dist: huffman(new Uint8Array(30).fill(5)) };
  return fixed;
}

function dynamicTables(r: BitReader): { lit: Huffman; dist: Huffman } {
  const nlen = r.bits(5) + 257;
  const ndist = r.bits(5) + 1;
  const ncode = r.bits(4) + 4;
  if (nlen > 286 || ndist > 30) throw new InflateError('a block declares too many codes');
  const codeLengths = new Uint8Array(19);
  for (let i = 0; i < ncode; i++) codeLengths[CODE_LENGTH_ORDER[i] ?? 0] = r.bits(3);
  const lengthCode = huffman(codeLengths);
  const lengths = new Uint8Array(nlen + ndist);
  for (let i = 0; i < nlen + ndist; ) {
    const sym = decodeSymbol(r, lengthCode);
    if (sym < 16) {
      lengths[i++] = sym;
      continue;
    }
    let value = 0;
    let repeat: number;
    if (sym === 16) {
      if (i === 0) throw new InflateError('a repeat with no length before it');
      value = lengths[i - 1] ?? 0;
      repeat = 3 + r.bits(2);
    } else repeat = sym === 17 ? 3 + r.bits(3) : 11 + r.bits(7);
    if (i + repeat > nlen + ndist) throw new InflateError('code lengths run past their table');
    lengths.fill(value, i, i + repeat);
    i += repeat;
  }
  if (lengths[256] === 0) throw new InflateError('a block without an end code');
  return { lit: huffman(lengths.subarray(0, nlen)), dist: huffman(lengths.subarray(nlen)) };
}

/** A zlib stream's bytes, or why they can't be read. More than `maxBytes` of output is an error, not an allocation. */
export function inflateZlib(stream: Uint8Array, maxBytes: number): Uint8Array | string {
  try {
    return inflateUnchecked(stream, maxBytes);
  } catch (error) {
    if (error instanceof InflateError) return error.message;
    throw error;
  }
}

function inflateUnchecked(stream: Uint8Array, maxBytes: number): Uint8Array {
  const cmf = stream[0] ?? 0;
  const flg = stream[1] ?? 0;
  if (stream.length < 6 || (cmf & 0x0f) !== 8 || (cmf * 256 + flg) % 31 !== 0 || flg & 0x20) throw new InflateError('not a zlib stream');
  const out = new Uint8Array(maxBytes);
  let pos = 0;
  const r = new BitReader(stream, 2);
  let last = 0;
  while (!last) {
    last = r.bits(1);
    const type = r.bits(2);
    if (type === 0) {
      const at = r.align();
      if (at + 4 > stream.length) throw new InflateError('the compressed data ends early');
      const len = (stream[at] ?? 0) | ((stream[at + 1] ?? 0) << 8);
      const nlen = (stream[at + 2] ?? 0) | ((stream[at + 3] ?? 0) << 8);
      if (len !== (~nlen & 0xffff)) throw new InflateError('a stored block with a damaged length');
      if (at + 4 + len > stream.length) throw new InflateError('the compressed data ends early');
      if (pos + len > maxBytes) throw new InflateError(`more than the expected ${maxBytes} bytes`);
      out.set(stream.subarray(at + 4, at + 4 + len), pos);
      pos += len;
      r.skipTo(at + 4 + len);
      continue;
    }
    if (type === 3) throw new InflateError('a block of an unknown type');
    const { lit, dist } = type === 1 ? fixedTables() : dynamicTables(r);
    for (;;) {
      const sym = decodeSymbol(r, lit);
      if (sym < 256) {
        if (pos >= maxBytes) throw new InflateError(`more than the expected ${maxBytes} bytes`);
        out[pos++] = sym;
        continue;
      }
      if (sym === 256) break;
      const li = sym - 257;
      if (li >= 29) throw new InflateError('a length code out of range');
      const length = (LENGTH_BASE[li] ?? 0) + r.bits(LENGTH_EXTRA[li] ?? 0);
      const di = decodeSymbol(r, dist);
      if (di >= 30) throw new InflateError('a distance code out of range');
      const distance = (DIST_BASE[di] ?? 0) + r.bits(DIST_EXTRA[di] ?? 0);
      if (distance > pos) throw new InflateError('a distance before the start of the data');
      if (pos + length > maxBytes) throw new InflateError(`more than the expected ${maxBytes} bytes`);
      for (let k = 0; k < length; k++, pos++) out[pos] = out[pos - distance] ?? 0;
    }
  }
  const at = r.align();
  const data = out.subarray(0, pos);
  if (at + 4 > stream.length) throw new InflateError('the checksum is missing');
  const stored = (((stream[at] ?? 0) << 24) | ((stream[at + 1] ?? 0) << 16) | ((stream[at + 2] ?? 0) << 8) | (stream[at + 3] ?? 0)) >>> 0;
  if (stored !== adler32(data)) throw new InflateError('the decompressed data does not match its checksum');
  return data;
}
