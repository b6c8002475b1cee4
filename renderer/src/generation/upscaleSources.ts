// What "Upscale ×2" needs of a result that the gallery does not keep (the job's pixels, the host's raw
// variation with its tokens), remembered for this session by the result's outputs object: the staged
// item and the gallery entry made from it share that object. Not saved with projects.
import type { GalleryOutput } from '../document';
import type { UpscaleSource } from './upscale';

const sources = new WeakMap<object, UpscaleSource>();

export function rememberUpscaleSource(outputs: Readonly<Record<string, GalleryOutput>>, source: UpscaleSource): void {
  sources.set(outputs, source);
}

export function upscaleSourceOf(outputs: Readonly<Record<string, GalleryOutput>>): UpscaleSource | undefined {
  return sources.get(outputs);
}
