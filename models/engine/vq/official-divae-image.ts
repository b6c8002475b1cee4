/**
 * What an official DiVAE decode (values in about [−1, 1], [C, H, W]) looks like on screen, following
 * the official demo's post-processing (reference §4.4, `plotting_utils.decode_tok_*`):
 * RGB and normals (x + 1) / 2 clamped to [0, 1]; edges 0.5 · (x + 1) clamped, grey; depth the raw
 * standardized values min-max normalised over the picture, then the turbo colour map (near = the
 * low end: the standardized depth grows with distance).
 */
import { createRgba, turbo, type DecodedImage, type ImageDomainName } from '../../tokenizers/image';

/** The display domain of an FM image modality a DiVAE decodes (tok_rgb@224 → rgb …). */
export function divaeDomainOf(modality: string): Exclude<ImageDomainName, 'semseg'> | undefined {
  const d = modality.replace(/^tok_/, '').replace(/@\d+$/, '');
  if (d === 'rgb' || d === 'normal' || d === 'depth') return d;
  if (d.endsWith('edge')) return 'edge';
  return undefined;
}

const unitByte = (v: number): number => Math.round(255 * Math.min(1, Math.max(0, (v + 1) / 2)));

export function divaeImage(domain: Exclude<ImageDomainName, 'semseg'>, values: Float32Array, channels: number, height: number, width: number): DecodedImage {
  const n = height * width;
  if (values.length !== channels * n) throw new RangeError(`${domain}: ${values.length} values, expected ${channels}×${height}×${width}`);
  const want = domain === 'rgb' || domain === 'normal' ? 3 : 1;
  if (channels !== want) throw new RangeError(`${domain}: the tokenizer decodes ${channels} channel(s); ${domain} needs ${want}`);
  const img = createRgba(width, height);
  const px = img.data;
  if (domain === 'depth') {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = values[i] as number;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const span = hi - lo > 0 ? hi - lo : 1;
    for (let i = 0; i < n; i++) {
      px.set(turbo(((values[i] as number) - lo) / span), i * 4);
      px[i * 4 + 3] = 255;
    }
    return { domain, rgba: img };
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
