// A minimal layered PSD writer (Adobe Photoshop file format, version 1, 8-bit RGB, raw
// channel data): one pixel layer per document raster layer, bottom first, with name,
// opacity and visibility, plus a flattened composite. Enough for Photoshop, Krita and GIMP.

export interface PsdLayer {
  readonly name: string;
  /** width × height × 4 RGBA bytes. */
  readonly rgba: Uint8Array | Uint8ClampedArray;
  /** 0..1 */
  readonly opacity: number;
  readonly visible: boolean;
}

class Writer {
  readonly #chunks: Uint8Array[] = [];
  #length = 0;

  get length(): number {
    return this.#length;
  }
  bytes(b: Uint8Array): void {
    this.#chunks.push(b);
    this.#length += b.length;
  }
  u8(v: number): void {
    this.bytes(Uint8Array.of(v & 255));
  }
  u16(v: number): void {
    this.bytes(Uint8Array.of((v >> 8) & 255, v & 255));
  }
  u32(v: number): void {
    this.bytes(Uint8Array.of((v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255));
  }
  ascii(text: string): void {
    this.bytes(Uint8Array.from(text, (c) => c.charCodeAt(0) & 127));
  }
  concat(): Uint8Array {
    const out = new Uint8Array(this.#length);
    let at = 0;
    for (const c of this.#chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

/** One channel (0 = R, 1 = G, 2 = B, 3 = A) of an RGBA buffer, as a plane. */
function channel(rgba: Uint8Array | Uint8ClampedArray, c: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rgba[i * 4 + c] ?? 0;
  return out;
}

/** Pascal string (ASCII, ≤ 255 chars) padded so its length, with the count byte, is a multiple of 4. */
function pascal(w: Writer, name: string): void {
  const text = name.replace(/[^\x20-\x7e]/g, '_').slice(0, 255);
  w.u8(text.length);
  w.ascii(text);
  for (let n = text.length + 1; n % 4 !== 0; n++) w.u8(0);
}

function nameLength(name: string): number {
  const n = Math.min(255, name.length) + 1;
  return n + ((4 - (n % 4)) % 4);
}

export function writePsd(width: number, height: number, layers: readonly PsdLayer[], composite: Uint8Array | Uint8ClampedArray): Uint8Array {
  const n = width * height;
  for (const l of layers) if (l.rgba.length !== n * 4) throw new RangeError(`PSD layer "${l.name}": expected ${n * 4} bytes, got ${l.rgba.length}`);
  if (composite.length !== n * 4) throw new RangeError(`PSD composite: expected ${n * 4} bytes`);
  const w = new Writer();
  w.ascii('8BPS');
  w.u16(1);
  w.bytes(new Uint8Array(6));
  w.u16(3);
  w.u32(height);
  w.u32(width);
  w.u16(8);
  w.u16(3); // RGB
  w.u32(0); // colour mode data
  w.u32(0); // image resources

  const channelBytes = 2 + n;
  const records = layers.reduce((sum, l) => sum + 16 + 2 + 4 * 6 + 12 + 4 + 4 + 4 + nameLength(l.name), 0);
  let layerInfo = 2 + records + layers.length * 4 * channelBytes;
  layerInfo += layerInfo % 2;
  w.u32(4 + layerInfo + 4); // layer and mask information section
  w.u32(layerInfo);
  const start = w.length;
  w.u16(layers.length);
  for (const l of layers) {
    w.u32(0);
    w.u32(0);
    w.u32(height);
    w.u32(width);
    w.u16(4);
    for (const id of [0xffff, 0, 1, 2]) {
      w.u16(id); // -1 = transparency mask
      w.u32(channelBytes);
    }
    w.ascii('8BIMnorm');
    w.u8(Math.round(Math.min(1, Math.max(0, l.opacity)) * 255));
    w.u8(0); // clipping: base
    w.u8(l.visible ? 0 : 2); // bit 1: hidden
    w.u8(0);
    w.u32(4 + 4 + nameLength(l.name));
    w.u32(0); // no layer mask
    w.u32(0); // no blending ranges
    pascal(w, l.name);
  }
  for (const l of layers) {
    for (const c of [3, 0, 1, 2]) {
      w.u16(0); // raw
      w.bytes(channel(l.rgba, c, n));
    }
  }
  if ((w.length - start) % 2) w.u8(0);
  w.u32(0); // global layer mask info
  w.u16(0); // composite: raw, planar R, G, B
  for (const c of [0, 1, 2]) w.bytes(channel(composite, c, n));
  return w.concat();
}
