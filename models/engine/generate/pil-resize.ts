/**
 * PIL's bicubic `Image.resize` on 8-bit pictures, byte for byte: the filter 4M's data loader resizes
 * every picture modality with (fourm/data/modality_transforms.py passes no resample mode, so PIL's
 * default for RGB, bicubic, applies), which made the SR model's rgb@224 beside its rgb@448.
 *
 * As PIL does it (Resample.c): the cubic kernel with a = −0.5, its support widened by the scale when
 * shrinking (so it averages, without aliasing), weights normalised per output pixel and then rounded
 * to 22-bit fixed point; a horizontal pass, rounded and clamped to bytes, then a vertical pass.
 * Every channel (alpha too) is filtered alike, which matches PIL on opaque pictures. Pure.
 */
import type { RgbaImage } from '../../tokenizers/image';

const PRECISION_BITS = 32 - 8 - 2;
const ONE = 1 << PRECISION_BITS;
const HALF = 1 << (PRECISION_BITS - 1);

function bicubic(x: number): number {
  const a = -0.5;
  const t = Math.abs(x);
  if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
  return 0;
}

/** Per output pixel: the first input pixel and integer weights (sum ≈ 2²²), as PIL's precompute_coeffs + normalize_coeffs_8bpc. */
function coefficients(inSize: number, outSize: number): { first: Int32Array; weights: Int32Array[] } {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = 2 * filterScale;
  const ss = 1 / filterScale;
  const first = new Int32Array(outSize);
  const weights: Int32Array[] = [];
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    const k = new Float64Array(xmax);
    let sum = 0;
    for (let x = 0; x < xmax; x++) sum += k[x] = bicubic((x + xmin - center + 0.5) * ss);
    const w = new Int32Array(xmax);
    for (let x = 0; x < xmax; x++) {
      const v = sum !== 0 ? (k[x] as number) / sum : (k[x] as number);
      w[x] = Math.trunc(v < 0 ? -0.5 + v * ONE : 0.5 + v * ONE);
    }
    first[xx] = xmin;
    weights.push(w);
  }
  return { first, weights };
}

const clip8 = (v: number): number => (v >= ONE * 256 ? 255 : v <= 0 ? 0 : Math.floor(v / ONE));

/** `img` resized to width × height with PIL's bicubic filter (`Image.resize(size, Image.BICUBIC)`). */
export function resizeBicubicPil(img: RgbaImage, width: number, height: number): RgbaImage {
  for (const [what, v] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`resize: ${what} ${v} is not a whole number ≥ 1`);
  }
  if (!Number.isInteger(img.width) || !Number.isInteger(img.height) || img.width < 1 || img.height < 1 || img.data.length !== img.width * img.height * 4) {
    throw new RangeError(`resize: the picture is malformed (${img.width}×${img.height} with ${img.data.length} bytes, expected width × height × 4 RGBA bytes)`);
  }
  let src: Uint8Array | Uint8ClampedArray = img.data;
  let w = img.width;
  if (width !== img.width) {
    const { first, weights } = coefficients(img.width, width);
    const out = new Uint8Array(width * img.height * 4);
    for (let y = 0; y < img.height; y++) {
      for (let xx = 0; xx < width; xx++) {
        const k = weights[xx] as Int32Array;
        const base = (y * img.width + (first[xx] as number)) * 4;
        for (let c = 0; c < 4; c++) {
          let ss = HALF;
          for (let x = 0; x < k.length; x++) ss += (src[base + x * 4 + c] as number) * (k[x] as number);
          out[(y * width + xx) * 4 + c] = clip8(ss);
        }
      }
    }
    src = out;
    w = width;
  }
  if (height !== img.height) {
    const { first, weights } = coefficients(img.height, height);
    const out = new Uint8Array(w * height * 4);
    for (let yy = 0; yy < height; yy++) {
      const k = weights[yy] as Int32Array;
      const y0 = first[yy] as number;
      for (let x = 0; x < w; x++) {
        for (let c = 0; c < 4; c++) {
          let ss = HALF;
          for (let y = 0; y < k.length; y++) ss += (src[((y0 + y) * w + x) * 4 + c] as number) * (k[y] as number);
          out[(yy * w + x) * 4 + c] = clip8(ss);
        }
      }
    }
    src = out;
  }
  return { width, height, data: src === img.data ? Uint8Array.from(src) : (src as Uint8Array) };
}
