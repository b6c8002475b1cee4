/**
 * Image-like modality ↔ tokens through the package's tokenizer graphs. The
 * layout work is in models/tokenizers/image; this file only runs the graphs.
 */
import type { ImageModalitySpec } from '../../registry';
import { encoderInputFromRgba, fitToGrid, rgbaFromDecoderOutput, type DecodedImage, type FitMode, type RgbaImage } from '../../tokenizers/image';
import { expectFloat32, expectInt64, float32, int64 } from '../runtime';
import { runDiffusionDecoder, seedFromTokens } from './diffusion-decode';
import type { EngineModel } from './engine-model';

/** Tokens of an image of any size, fitted to the model's image size first. */
export async function encodeImage(model: EngineModel, spec: ImageModalitySpec, img: RgbaImage, fit: FitMode = 'crop'): Promise<Int32Array> {
  const size = model.manifest.imageSize;
  // Label-like images must not blend class colours or edge strokes into new values.
  const resample = spec.domain === 'semseg' ? 'nearest' : 'linear';
  const fitted = fitToGrid(img, size, size, fit, resample);
  const pixels = encoderInputFromRgba(spec.domain, fitted, model.manifest.classes);
  const session = await model.graph(spec.tokenizer.encoder);
  const out = await session.run({ [session.inputs[0]?.name ?? 'pixels']: pixels });
  const ids = expectInt64(out.ids, `${spec.tokenizer.encoder} ids`);
  const [gh, gw] = spec.grid;
  if (ids.data.length !== gh * gw) throw new Error(`${spec.tokenizer.encoder} gave ${ids.data.length} ids, expected ${gh}×${gw}`);
  return Int32Array.from(ids.data, (v) => Number(v));
}

export interface DecodeOptions {
  /** A progress preview: a diffusion decoder runs its fewer preview steps. */
  readonly preview?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * Pixels of a token grid, made viewable (and raw class map / depth where it applies).
 * VQ decoders map ids to pixels in one graph; a diffusion decoder maps ids to its
 * condition and then runs the denoising loop (seeded by the tokens).
 */
export async function decodeTokens(model: EngineModel, spec: ImageModalitySpec, tokens: ArrayLike<number>, options: DecodeOptions = {}): Promise<DecodedImage> {
  const [gh, gw] = spec.grid;
  if (tokens.length !== gh * gw) throw new RangeError(`${spec.name}: ${tokens.length} tokens, expected ${gh * gw}`);
  const ids = new BigInt64Array(gh * gw);
  for (let i = 0; i < ids.length; i++) {
    const v = tokens[i] as number;
    if (!Number.isInteger(v) || v < 0 || v >= spec.vocabSize) throw new RangeError(`${spec.name}: token ${i} = ${v} is outside 0…${spec.vocabSize - 1}`);
    ids[i] = BigInt(v);
  }
  const session = await model.graph(spec.tokenizer.decoder);
  const out = await session.run({ [session.inputs[0]?.name ?? 'ids']: int64(ids, [1, gh, gw]) });
  const diffusion = spec.tokenizer.diffusion;
  if (diffusion) {
    const quant = expectFloat32(Object.values(out)[0], `${spec.tokenizer.decoder} condition`);
    const size = model.manifest.imageSize;
    const x = await runDiffusionDecoder(await model.graph(diffusion.denoiser), diffusion, float32(quant.data, quant.dims), [size, size], {
      seed: seedFromTokens(tokens),
      previewSteps: options.preview ? (diffusion.previewSteps ?? diffusion.steps) : undefined,
      signal: options.signal,
    });
    // [−1, 1] → the 0…255 convention of the VQ decoders' pixels.
    const pixels = Float32Array.from(x, (v) => ((v + 1) / 2) * 255);
    return rgbaFromDecoderOutput(spec.domain, pixels, [1, diffusion.channels, size, size], model.manifest.classes);
  }
  const pixels = expectFloat32(out.pixels ?? Object.values(out)[0], `${spec.tokenizer.decoder} pixels`);
  return rgbaFromDecoderOutput(spec.domain, pixels.data, pixels.dims, model.manifest.classes);
}
