/**
 * The pixel conventions of the official DiVAE domains, both ways, so that a decoded layer and a
 * painted one mean the same in the editor and in files.
 *
 * Decoding (values in about [−1, 1], [C, H, W]) follows the official demo's post-processing
 * (reference §4.4, `plotting_utils.decode_tok_*`) for the display: RGB and normals (x + 1) / 2
 * clamped to [0, 1]; edges 0.5 · (x + 1) clamped, grey; depth the raw standardized values min-max
 * normalised over the picture, then the turbo colour map (near = the low end: the standardized depth
 * grows with distance). Depth also comes back as the editor's grey layer (`layerPixels`: 255 = near,
 * 0 = far, linear in the standardized value), the picture a painted depth is read from.
 *
 * Encoding (a painted or imported picture → what the DiVAE encoder was trained on,
 * fourm/data/modality_transforms.py as MODALITY_TRANSFORMS_DIVAE configures it):
 * - depth: 4M's depth grows with distance (16-bit PNG / 65535) and is standardized per picture
 *   (`truncated_depth_standardization`: mean and unbiased variance of the middle 80 % of sorted
 *   values, (d − mean) / sqrt(var + 1e-6)). The editor's grey is near = 255, so the distance is
 *   (255 − grey) / 255, then the same standardization. Being affine-invariant, it makes the grey's
 *   scale irrelevant: re-encoding a decoded depth (grey linear in the decoded values) gives back
 *   the decoded values up to 8-bit rounding.
 * - normals: RGB-encoded normals, to_tensor then mean/std 0.5: byte / 127.5 − 1 per channel (the
 *   editor stores normals as (n + 1) · 127.5, the same encoding).
 * - edges (Canny, SAM): `RGBTransform(imagenet_default_mean_and_std=False)` on a white-on-black edge
 *   map, one channel: byte / 127.5 − 1. Soft brush borders are kept, not thresholded: the tokenizer
 *   was trained on binary maps resized bilinearly, which have such borders too.
 * - rgb (a painted tok_rgb, rare: RGB normally goes in as the FM's pixel input): the same [−1, 1].
 */
import { createRgba, fitToGrid, turbo, type DecodedImage, type ImageDomainName, type RgbaImage } from '../../tokenizers/image';

export type DivaeDomain = Exclude<ImageDomainName, 'semseg'>;

/** The display domain of an FM image modality a DiVAE decodes (tok_rgb@224 → rgb …). */
export function divaeDomainOf(modality: string): DivaeDomain | undefined {
  const d = modality.replace(/^tok_/, '').replace(/@\d+$/, '');
  if (d === 'rgb' || d === 'normal' || d === 'depth') return d;
  if (d.endsWith('edge')) return 'edge';
  return undefined;
}

/** Channels a domain's tokenizer must have: 3 for RGB and normals, 1 for depth and edges. */
export const divaeChannels = (domain: DivaeDomain): number => (domain === 'rgb' || domain === 'normal' ? 3 : 1);

const unitByte = (v: number): number => Math.round(255 * Math.min(1, Math.max(0, (v + 1) / 2)));

export function divaeImage(domain: DivaeDomain, values: Float32Array, channels: number, height: number, width: number): DecodedImage {
  const n = height * width;
  if (values.length !== channels * n) throw new RangeError(`${domain}: ${values.length} values, expected ${channels}×${height}×${width}`);
  const want = divaeChannels(domain);
  if (channels !== want) throw new RangeError(`${domain}: the tokenizer decodes ${channels} channel(s); ${domain} needs ${want}`);
  const img = createRgba(width, height);
  const px = img.data;
  if (domain === 'depth') {
    const unit = minMaxUnit(values.subarray(0, n));
    const grey = createRgba(width, height);
    for (let i = 0; i < n; i++) {
      const u = unit[i] as number;
      px.set(turbo(u), i * 4);
      px[i * 4 + 3] = 255;
      // Near (low standardized depth) = white, as the editor paints depth.
      grey.data.fill(Math.round(255 * (1 - u)), i * 4, i * 4 + 3);
      grey.data[i * 4 + 3] = 255;
    }
    return { domain, rgba: img, layerPixels: grey };
  }
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) px[i * 4 + c] = unitByte(values[(want === 3 ? c : 0) * n + i] as number);
    px[i * 4 + 3] = 255;
  }
  return { domain, rgba: img };
}

/**
 * A picture → what the RGB DiVAE's encoder takes: float32 [3, H, W] in [−1, 1], the official
 * RGB tokenizer's preprocessing (mean 0.5, std 0.5 per channel: `IMAGENET_INCEPTION_*`).
 */
export function divaeRgbValues(img: { readonly width: number; readonly height: number; readonly data: Uint8Array | Uint8ClampedArray }): Float32Array {
  const n = img.width * img.height;
  if (img.data.length !== n * 4) throw new RangeError(`the picture has ${img.data.length} bytes, expected ${img.width}×${img.height}×4 (RGBA)`);
  const out = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) out[c * n + i] = (img.data[i * 4 + c] as number) / 127.5 - 1;
  return out;
}

/** Values → [0, 1] over their own range (a flat map → 0.5). */
function minMaxUnit(values: Float32Array): Float32Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  return Float32Array.from(values, (v) => (span > 0 ? (v - lo) / span : 0.5));
}

/**
 * 4M's per-picture robust depth standardization (DepthTransform.truncated_depth_standardization):
 * mean and unbiased variance of the sorted values between the 10 % and 90 % positions.
 */
export function truncatedDepthStandardization(depth: Float32Array, thresh = 0.1): Float32Array {
  const sorted = Float32Array.from(depth).sort();
  const kept = sorted.subarray(Math.trunc(thresh * sorted.length), Math.trunc((1 - thresh) * sorted.length));
  let mean = 0;
  for (const v of kept) mean += v;
  mean /= kept.length;
  let ss = 0;
  for (const v of kept) ss += (v - mean) ** 2;
  const variance = kept.length > 1 ? ss / (kept.length - 1) : 0;
  const scale = Math.sqrt(variance + 1e-6);
  return Float32Array.from(depth, (v) => (v - mean) / scale);
}

/** A picture the engine cannot read as the layer it was given for; the message says why. */
export class PaintedPictureError extends Error {
  override name = 'PaintedPictureError';
}

const DESCRIBE: Readonly<Record<DivaeDomain, string>> = {
  depth: 'a grey depth map (white = near, black = far)',
  edge: 'a grey edge map (white edges on black)',
  normal: 'an RGB-encoded normal map (x, y, z → R, G, B as (n + 1) / 2 · 255)',
  rgb: 'an RGB picture',
};

/** Share of pixels whose channels differ by more than a JPEG's noise: how coloured a picture is. */
function colouredShare(img: RgbaImage): number {
  const { data } = img;
  let coloured = 0;
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) {
    const r = data[i * 4] as number;
    const g = data[i * 4 + 1] as number;
    const b = data[i * 4 + 2] as number;
    if (Math.max(r, g, b) - Math.min(r, g, b) > 16) coloured++;
  }
  return coloured / n;
}

/**
 * A painted or imported picture of `domain` → the DiVAE encoder's input [C, size, size] (see the
 * conventions above). Any size of at least one token per side is centre-cropped and scaled to the
 * tokenizer's size; a colour picture for depth or edges (a turbo depth render, a photo) and a grey
 * one for normals are refused, naming what the layer takes.
 */
export function divaeInputFromPicture(domain: DivaeDomain, img: RgbaImage, options: { channels: number; size: number; grid: number; where: string }): Float32Array {
  const { channels, size, grid, where } = options;
  const what = DESCRIBE[domain];
  if (!Number.isInteger(img.width) || !Number.isInteger(img.height) || img.width < 1 || img.height < 1 || img.data.length !== img.width * img.height * 4) {
    throw new PaintedPictureError(`${where}: the picture is malformed (${img.width}×${img.height} with ${img.data.length} bytes, expected width × height × 4 RGBA bytes)`);
  }
  if (img.width < grid || img.height < grid) {
    throw new PaintedPictureError(`${where}: the picture is ${img.width}×${img.height} px; ${domain} needs at least ${grid}×${grid} (one pixel per token; it is scaled to ${size}×${size})`);
  }
  if (channels !== divaeChannels(domain)) {
    throw new PaintedPictureError(`${where}: the tokenizer encodes ${channels} channel(s); ${domain} needs ${divaeChannels(domain)}`);
  }
  const share = colouredShare(img);
  if (channels === 1 && share > 0.02) {
    throw new PaintedPictureError(`${where}: the picture is in colour (${Math.round(100 * share)} % of its pixels); ${domain} takes ${what}${domain === 'depth' ? ', not a colour-mapped render' : ''}`);
  }
  if (domain === 'normal' && share < 0.02) {
    throw new PaintedPictureError(`${where}: the picture is grey; surface normals take ${what}`);
  }
  const fitted = fitToGrid(img, size, size, 'crop', 'linear');
  const n = size * size;
  const d = fitted.data;
  if (channels === 3) return divaeRgbValues(fitted);
  const grey = (i: number): number => 0.299 * (d[i * 4] as number) + 0.587 * (d[i * 4 + 1] as number) + 0.114 * (d[i * 4 + 2] as number);
  if (domain === 'edge') return Float32Array.from({ length: n }, (_, i) => grey(i) / 127.5 - 1);
  return truncatedDepthStandardization(Float32Array.from({ length: n }, (_, i) => (255 - grey(i)) / 255));
}
