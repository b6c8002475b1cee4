// Picture references (4M-21's tok_dinov2_global / tok_imagebind_global) in the editor: the job
// that has the open model read a picture's 16 tokens (the picture as the RGB layer's pixel input,
// the reference layer the only target, 4M's retrieval recipe), and the small thumbnail kept for
// the artist, since nothing decodes the tokens. Pure.
import { GENERATION_REQUEST_VERSION, type GenerationRequest } from '../../../preload/contract/generation';
import type { GenerationVariation } from '../../../preload/contract/generation-jobs';
import { REFERENCE_SAMPLING, referenceTokensProblem } from '../../../preload/contract/reference';
import { REFERENCE_THUMBNAIL_SIDE, type DocumentState, type Plane, type ReferenceContent } from '../document';
import { domainOf } from '../model/layerLabels';
import { bytesToBase64 } from './base64';
import { sha256Hex, type BuiltRequest, type HashBytes } from './buildRequest';
import { planeToRaster } from './planes';

/**
 * The request that reads `layerId`'s tokens from `picture` (an RGB plane at the canvas size) through
 * the model's RGB layer `rgbId`. Seed 0: the same picture always gives the same reference.
 */
export async function referenceRequest(modelId: string, layerId: string, rgbId: string, picture: Plane, hash: HashBytes = sha256Hex): Promise<Pick<BuiltRequest, 'request' | 'images'>> {
  const raster = planeToRaster(picture, null);
  const ref = `sha256:${await hash(raster.rgba)}`;
  const request: GenerationRequest = {
    version: GENERATION_REQUEST_VERSION,
    modelId,
    seed: 0,
    inputs: { [rgbId]: { kind: 'image-pixels', ref } },
    targets: [{ modality: layerId, ...REFERENCE_SAMPLING }],
    cfgGrowConditioning: true,
  };
  return { request, images: { [ref]: { width: raster.width, height: raster.height, rgba: bytesToBase64(raster.rgba) } } };
}

/** The reference's ids from the host's answer, or why there are none (the host's words are checked like a file's). */
export function referenceIds(variations: readonly GenerationVariation[], layerId: string): Int32Array | string {
  const out = variations[0]?.outputs[layerId];
  if (out?.kind !== 'tokens') return 'the model gave no reference tokens';
  const problem = referenceTokensProblem(out.tokens);
  return problem ? `the model's answer: ${problem}` : Int32Array.from(out.tokens);
}

/** A REFERENCE_THUMBNAIL_SIDE² RGBA thumbnail of a picture plane (1 or 3 channels): each pixel the mean of its source area. */
export function thumbnailOf(p: Plane, side = REFERENCE_THUMBNAIL_SIDE): Uint8Array {
  const out = new Uint8Array(side * side * 4);
  for (let y = 0; y < side; y++) {
    const y0 = Math.floor((y * p.height) / side);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * p.height) / side));
    for (let x = 0; x < side; x++) {
      const x0 = Math.floor((x * p.width) / side);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * p.width) / side));
      const sum = [0, 0, 0];
      for (let sy = y0; sy < y1; sy++) {
        for (let sx = x0; sx < x1; sx++) {
          const i = (sy * p.width + sx) * p.channels;
          for (let c = 0; c < 3; c++) sum[c] = (sum[c] as number) + (p.data[i + (p.channels === 1 ? 0 : c)] as number);
        }
      }
      const n = (y1 - y0) * (x1 - x0);
      const o = (y * side + x) * 4;
      out[o] = Math.round((sum[0] as number) / n);
      out[o + 1] = Math.round((sum[1] as number) / n);
      out[o + 2] = Math.round((sum[2] as number) / n);
      out[o + 3] = 255;
    }
  }
  return out;
}

/** Where a predicted reference came from, as the layer keeps it (source and thumbnail). */
export type ReferenceOrigin = Pick<ReferenceContent, 'source' | 'thumbnail'>;

/**
 * Where the references a job predicts came from, when that is one picture: the job's only condition
 * was the RGB layer (Derive, RGB → reference). `doc` is the document the request was built from, so
 * the thumbnail is the picture the model read, whatever is painted while it runs. Null otherwise
 * (other conditions too, or none): such a reference stays "predicted, no preview".
 */
export function predictedReferenceOrigin(doc: DocumentState, conditions: readonly string[]): ReferenceOrigin | null {
  const [id, ...others] = conditions;
  if (id === undefined || others.length > 0 || domainOf(id) !== 'rgb') return null;
  const c = doc.layers.get(id)?.content;
  return c?.kind === 'image' ? { source: 'the RGB layer', thumbnail: thumbnailOf(c.plane) } : null;
}
