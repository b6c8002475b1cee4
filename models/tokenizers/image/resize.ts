/**
 * Pure-JS fitting of any RGBA image to the model grid. 'crop' centre-crops to
 * the target aspect then resamples (what 4M's demo does), 'stretch' ignores
 * aspect, 'pad' letterboxes on black. Resampling is separable with a triangle
 * kernel widened by the scale factor, so downscaling averages (no aliasing)
 * and upscaling is bilinear. 'nearest' keeps label images (class colours) pure.
 */
import { assertRgba, createRgba, type RgbaImage } from './rgba';

export type FitMode = 'crop' | 'stretch' | 'pad';
export type Resample = 'linear' | 'nearest';

export function fitToGrid(img: RgbaImage, width: number, height: number, mode: FitMode = 'crop', resample: Resample = 'linear'): RgbaImage {
  assertRgba(img);
  if (img.width === width && img.height === height) return img;
  if (mode === 'stretch') return resampleRgba(img, 0, 0, img.width, img.height, width, height, resample);
  const scaleCrop = Math.max(width / img.width, height / img.height);
  if (mode === 'crop') {
    const cw = width / scaleCrop;
    const ch = height / scaleCrop;
    return resampleRgba(img, (img.width - cw) / 2, (img.height - ch) / 2, cw, ch, width, height, resample);
  }
  const scale = Math.min(width / img.width, height / img.height);
  const w = Math.max(1, Math.round(img.width * scale));
  const h = Math.max(1, Math.round(img.height * scale));
  const inner = resampleRgba(img, 0, 0, img.width, img.height, w, h, resample);
  const out = createRgba(width, height);
  for (let i = 3; i < out.data.length; i += 4) out.data[i] = 255;
  const ox = Math.floor((width - w) / 2);
  const oy = Math.floor((height - h) / 2);
  for (let y = 0; y < h; y++) out.data.set(inner.data.subarray(y * w * 4, (y + 1) * w * 4), ((oy + y) * width + ox) * 4);
  return out;
}

/** Resamples the source window (sx, sy, sw, sh) to outW × outH. */
export function resampleRgba(img: RgbaImage, sx: number, sy: number, sw: number, sh: number, outW: number, outH: number, resample: Resample): RgbaImage {
  const xw = weights(img.width, sx, sw, outW, resample);
  const yw = weights(img.height, sy, sh, outH, resample);
  // Horizontal pass into float rows, then vertical pass into bytes.
  const tmp = new Float32Array(img.height * outW * 4);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < outW; x++) {
      const { start, w } = xw[x] as Tap;
      for (let c = 0; c < 4; c++) {
        let acc = 0;
        for (let k = 0; k < w.length; k++) acc += (w[k] as number) * (img.data[(y * img.width + start + k) * 4 + c] as number);
        tmp[(y * outW + x) * 4 + c] = acc;
      }
    }
  }
  const out = createRgba(outW, outH);
  for (let y = 0; y < outH; y++) {
    const { start, w } = yw[y] as Tap;
    for (let x = 0; x < outW; x++) {
      for (let c = 0; c < 4; c++) {
        let acc = 0;
        for (let k = 0; k < w.length; k++) acc += (w[k] as number) * (tmp[((start + k) * outW + x) * 4 + c] as number);
        out.data[(y * outW + x) * 4 + c] = Math.min(255, Math.max(0, Math.round(acc)));
      }
    }
  }
  return out;
}

interface Tap {
  start: number;
  w: Float32Array;
}

function weights(inSize: number, start: number, span: number, outSize: number, resample: Resample): Tap[] {
  const scale = span / outSize;
  const first = clamp(Math.floor(start), 0, inSize - 1);
  const last = clamp(Math.ceil(start + span) - 1, first, inSize - 1);
  const taps: Tap[] = [];
  for (let o = 0; o < outSize; o++) {
    const center = start + (o + 0.5) * scale;
    if (resample === 'nearest') {
      const i = clamp(Math.floor(center), first, last);
      taps.push({ start: i, w: Float32Array.of(1) });
      continue;
    }
    const support = Math.max(1, scale);
    // Taps stay inside the source window, so a crop never bleeds in what it cut away.
    const lo = clamp(Math.floor(center - support), first, last);
    const hi = clamp(Math.ceil(center + support), first, last);
    const w = new Float32Array(hi - lo + 1);
    let sum = 0;
    for (let i = lo; i <= hi; i++) {
      const v = Math.max(0, 1 - Math.abs(i + 0.5 - center) / support);
      w[i - lo] = v;
      sum += v;
    }
    if (sum === 0) {
      w.fill(0);
      w[clamp(Math.floor(center), lo, hi) - lo] = 1;
    } else for (let k = 0; k < w.length; k++) w[k] = (w[k] as number) / sum;
    taps.push({ start: lo, w });
  }
  return taps;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
