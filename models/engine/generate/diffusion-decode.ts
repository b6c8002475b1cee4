/**
 * Diffusion tokenizer decoders on ONNX Runtime: the sampling loop
 * (models/tokenizers/diffusion) around the package's one-step denoiser graph,
 * inputs x_t [1, C, H, W], t [1] (float) and quant [1, D, h, w], output the
 * network's estimate with x_t's shape. Noise is seeded from the tokens, so the
 * same tokens always decode to the same pixels.
 */
import { createRng, hashLabel } from '../../core';
import type { DiffusionDecoderSpec } from '../../registry';
import { normalNoiseFrom, sampleDiffusion, type DiffusionRunOptions, type NormalNoise } from '../../tokenizers/diffusion';
import { expectFloat32, float32, type GraphSession, type TensorData } from '../runtime';

export interface DiffusionDecodeOptions extends DiffusionRunOptions {
  /** Override the step count and use DDIM (progress previews). */
  readonly previewSteps?: number | undefined;
  /** Injected noise (tests replay a reference's draws); default: seeded from `seed`. */
  readonly noise?: NormalNoise | undefined;
  readonly seed?: number | undefined;
}

/** x at t = 0, [1, C, H, W] values in about [−1, 1]. */
export async function runDiffusionDecoder(
  denoiser: GraphSession,
  spec: DiffusionDecoderSpec,
  quant: TensorData,
  size: readonly [number, number],
  options: DiffusionDecodeOptions = {},
): Promise<Float32Array> {
  if (quant.type !== 'float32' || quant.dims.length !== 4 || quant.dims[0] !== 1) {
    throw new RangeError(`diffusion condition must be float32 [1, D, h, w], got ${quant.type} [${quant.dims.join(', ')}]`);
  }
  const [h, w] = size;
  const dims = [1, spec.channels, h, w];
  const n = spec.channels * h * w;
  const preview = options.previewSteps !== undefined;
  const config = {
    schedule: spec.schedule,
    scheduler: preview ? ('ddim' as const) : spec.scheduler,
    steps: preview ? Math.min(options.previewSteps as number, spec.schedule.numTrainTimesteps) : spec.steps,
    prediction: spec.prediction,
    clipSample: spec.clipSample,
  };
  const noise = options.noise ?? normalNoiseFrom(((rng) => () => rng.nextFloat())(createRng(options.seed ?? 0)));
  return sampleDiffusion(
    config,
    n,
    async (xt, t) => {
      const out = await denoiser.run({ x_t: float32(xt, dims), t: float32(Float32Array.of(t), [1]), quant });
      const first = Object.values(out)[0];
      return expectFloat32(first, `${denoiser.file} output`).data;
    },
    noise,
    options,
  );
}

/** A seed from token ids, so decoding is a function of the tokens. */
export function seedFromTokens(tokens: ArrayLike<number>): number {
  return hashLabel(Array.from(tokens).join(','));
}
