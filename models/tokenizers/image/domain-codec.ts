/**
 * Per-domain conversion between RGBA images (what users paint and files hold)
 * and the tensors the tokenizer graphs take and give (manifest tokenizer
 * descriptions). Pure: the engine runs the graphs; this module only lays out data.
 *
 * File conventions for inputs: rgb as is; normals as RGB = (n+1)·127.5;
 * semseg as class colours (nearest manifest colour); edges as bright-on-dark;
 * depth as grey with white = near, over log depth in 0.5…60 m (the inverse of
 * `depthToGrey`).
 */
import { depthFromUnit, logDepthUnit, nearestClass, turbo, type ClassColor } from './colormaps';
import { assertRgba, createRgba, type RgbaImage } from './rgba';

export type ImageDomainName = 'rgb' | 'depth' | 'normal' | 'semseg' | 'edge';

export type PixelTensor =
  | { readonly type: 'float32'; readonly data: Float32Array; readonly dims: readonly number[] }
  | { readonly type: 'int64'; readonly data: BigInt64Array; readonly dims: readonly number[] };

/** A painted segmentation → class id per pixel: the nearest class colour (squared RGB distance). */
export function classMapFromRgba(img: RgbaImage, classes: readonly ClassColor[]): Int32Array {
  const { data } = img;
  const ids = new Int32Array(img.width * img.height);
  for (let i = 0; i < ids.length; i++) ids[i] = nearestClass(data[i * 4] as number, data[i * 4 + 1] as number, data[i * 4 + 2] as number, classes);
  return ids;
}

/** Tokenizer-encoder input [1, C, H, W] (semseg: [1, H, W] int64) from an image already at model size. */
export function encoderInputFromRgba(domain: ImageDomainName, img: RgbaImage, classes: readonly ClassColor[]): PixelTensor {
  assertRgba(img, `${domain} image`);
  const { width: w, height: h, data } = img;
  const n = w * h;
  if (domain === 'semseg') return { type: 'int64', data: BigInt64Array.from(classMapFromRgba(img, classes), (v) => BigInt(v)), dims: [1, h, w] };
  if (domain === 'rgb' || domain === 'normal') {
    const out = new Float32Array(3 * n);
    for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) out[c * n + i] = data[i * 4 + c] as number;
    return { type: 'float32', data: out, dims: [1, 3, h, w] };
  }
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const grey = luma(data, i);
    out[i] = domain === 'edge' ? (grey >= 128 ? 255 : 0) : depthFromUnit(1 - grey / 255);
  }
  return { type: 'float32', data: out, dims: [1, 1, h, w] };
}

/** What a tokenizer decoder produced, made viewable, plus the raw values a caller may want. */
export interface DecodedImage {
  readonly domain: ImageDomainName;
  /** Display image: rgb/normals as is, depth in turbo, semseg in class colours, edges grey. */
  readonly rgba: RgbaImage;
  /** semseg: class id per pixel. */
  readonly classMap?: Uint8Array;
  /** depth: metres per pixel. */
  readonly depth?: Float32Array;
  /**
   * The picture in the convention an input of this domain is read in (editor layers, files), where
   * the display differs and there are no metres to convert: an official model's depth as grey, 255 = near.
   */
  readonly layerPixels?: RgbaImage;
}

/** What a decoded picture is as a layer or an input file: depth as grey (255 = near), the rest as shown. */
export function layerImage(image: DecodedImage): RgbaImage {
  if (image.layerPixels) return image.layerPixels;
  return image.depth ? depthToGrey(image.depth, image.rgba.width, image.rgba.height) : image.rgba;
}

/** Turns decoder output [1, C, H, W] into a DecodedImage. */
export function rgbaFromDecoderOutput(domain: ImageDomainName, data: Float32Array, dims: readonly number[], classes: readonly ClassColor[]): DecodedImage {
  if (dims.length !== 4 || dims[0] !== 1) throw new RangeError(`${domain} decoder output has dims [${dims.join(',')}], expected [1,C,H,W]`);
  const [, c = 0, h = 0, w = 0] = dims;
  const n = h * w;
  const img = createRgba(w, h);
  const px = img.data;
  for (let i = 0; i < n; i++) px[i * 4 + 3] = 255;
  if (domain === 'rgb' || domain === 'normal') {
    for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) px[i * 4 + k] = clampByte(data[k * n + i] as number);
    return { domain, rgba: img };
  }
  if (domain === 'semseg') {
    const classMap = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let k = 1; k < c; k++) if ((data[k * n + i] as number) > (data[best * n + i] as number)) best = k;
      classMap[i] = best;
      const color = classes.find((x) => x.id === best)?.color ?? [0, 0, 0];
      px.set(color, i * 4);
    }
    return { domain, rgba: img, classMap };
  }
  if (domain === 'depth') {
    const depth = data.slice(0, n);
    for (let i = 0; i < n; i++) px.set(turbo(1 - logDepthUnit(depth[i] as number)), i * 4);
    return { domain, rgba: img, depth };
  }
  for (let i = 0; i < n; i++) px.fill(clampByte(data[i] as number), i * 4, i * 4 + 3);
  return { domain, rgba: img };
}

/** Depth in metres → grey, white = near (the file convention encoderInputFromRgba reads). */
export function depthToGrey(depth: Float32Array, width: number, height: number): RgbaImage {
  const img = createRgba(width, height);
  for (let i = 0; i < width * height; i++) {
    img.data.fill(clampByte(255 * (1 - logDepthUnit(depth[i] as number))), i * 4, i * 4 + 3);
    img.data[i * 4 + 3] = 255;
  }
  return img;
}

function luma(data: RgbaImage['data'], i: number): number {
  return 0.299 * (data[i * 4] as number) + 0.587 * (data[i * 4 + 1] as number) + 0.114 * (data[i * 4 + 2] as number);
}

function clampByte(v: number): number {
  return Math.min(255, Math.max(0, Math.round(v)));
}
