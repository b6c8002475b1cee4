// What "Upscale ×2" needs of a result exactly as its job had it (the job's pixels, the host's raw
// variation with every output's tokens), remembered for this session by the result's outputs
// object: the staged item and the gallery entry made from it share that object. A result of an
// earlier session is rebuilt from what the project kept instead (upscale.ts, savedUpscaleSource).
import type { GalleryOutput, InputPixels } from '../document';
import { base64ToBytes } from './base64';
import type { UpscaleSource, WireRaster } from './upscale';

const sources = new WeakMap<object, UpscaleSource>();

export function rememberUpscaleSource(outputs: Readonly<Record<string, GalleryOutput>>, source: UpscaleSource): void {
  sources.set(outputs, source);
}

/** A job's image-pixels inputs as the document keeps them with its results (bytes, not base64); undefined when it sent none. */
export function inputPixels(images: Readonly<Record<string, WireRaster>>): Record<string, InputPixels> | undefined {
  const refs = Object.keys(images);
  if (refs.length === 0) return undefined;
  return Object.fromEntries(refs.map((ref) => {
    const r = images[ref] as WireRaster;
    return [ref, { width: r.width, height: r.height, rgba: base64ToBytes(r.rgba) }];
  }));
}

export function upscaleSourceOf(outputs: Readonly<Record<string, GalleryOutput>>): UpscaleSource | undefined {
  return sources.get(outputs);
}
