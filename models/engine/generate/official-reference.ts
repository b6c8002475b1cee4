/**
 * A picture → its reference tokens (4M-21's tok_dinov2_global / tok_imagebind_global) with the FM
 * itself: the picture goes in as the FM's pixel input and the 16 global tokens come out in one step
 * (REFERENCE_SAMPLING: 4M's retrieval-notebook recipe). No DINOv2 / ImageBind network and no
 * Memcodes decoder is involved; the tokens then condition generation as any token input does.
 * The request is built here (pure) and run by generateOfficial.
 */
import type { GenerationRequest } from '../../../preload/contract/generation';
import { isReferenceModality, REFERENCE_SAMPLING } from '../../../preload/contract/reference';
import type { OfficialModality } from '../fm/official-modalities';
import type { RgbaImage } from '../../tokenizers/image';
import { generateOfficial, type OfficialModel } from './official-model';
import { officialWorkingSize } from './official-layout';
import { RequestError } from './request-state';

/** The picture ref a reading request points at (resolved to the picture given). */
export const REFERENCE_PICTURE_REF = 'reference:picture';

/**
 * The request that reads `modality` from a picture: the picture as the FM's pixel input at its
 * working size, the global modality the only target. Errors name what the model lacks.
 */
export function referenceReadingRequest(table: readonly OfficialModality[], size: number, modality: string, seed: number, modelId = 'official'): GenerationRequest {
  if (!isReferenceModality(modality)) throw new RequestError(`${modality}: not a picture reference (tok_dinov2_global or tok_imagebind_global)`);
  const target = table.find((m) => m.name === modality);
  if (!target?.output) throw new RequestError(`${modality}: the model cannot predict this reference (it is not among its domains_out)`);
  const pixels = table.find((m) => m.name === `rgb@${size}` && m.input && m.kind === 'image-pixels');
  if (!pixels) throw new RequestError(`${modality}: the model reads no picture (rgb@${size} is not among its domains_in), so it cannot read a reference from one`);
  return {
    version: 1,
    modelId,
    seed,
    inputs: { [pixels.name]: { kind: 'image-pixels', ref: REFERENCE_PICTURE_REF } },
    targets: [{ modality, ...REFERENCE_SAMPLING }],
    cfgGrowConditioning: true,
  };
}

/** The 16 reference tokens the FM reads from `picture` (any size: fitted to the pixel input by the engine). */
export async function readPictureReference(model: OfficialModel, modality: string, picture: RgbaImage, seed = 0, signal?: AbortSignal): Promise<Int32Array> {
  const request = referenceReadingRequest(model.fm.table, officialWorkingSize(model.fm), modality, seed);
  const res = await generateOfficial(model, request, { resolvePixels: async () => picture, signal });
  const out = res.outputs[modality];
  if (!out) throw new RequestError(`${modality}: the model gave no tokens`);
  return out.tokens;
}
