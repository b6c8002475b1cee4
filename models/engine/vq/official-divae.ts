/**
 * Opens an official 4M DiVAE tokenizer (the Hugging Face layout, `config.json` + `model.safetensors`,
 * as `EPFL-VILAB/4M_tokenizers_rgb_16k_224-448` and the depth, normal and edge tokenizers ship) and
 * decodes FM tokens to pixels on ONNX Runtime:
 *
 *   ids → raw codebook rows `quant [1, 32, h, w]` (weight-free graph) → the engine's DDPM / DDIM loop
 *   (tokenizers/diffusion) around one patched-UNet denoising step (convert/unet-graph.ts), configured
 *   from the file's scheduler settings → values in about [−1, 1], [C, H, W].
 *
 * The config is read with the official DiVAE class's defaults (scheduler 'ddpm', beta_schedule
 * 'squaredcos_cap_v2', prediction_type 'v_prediction', clip_sample false, thresholding true,
 * zero_terminal_snr true, 1000 training steps); the released files override some of them (linear betas,
 * x0 prediction). Every tensor is checked: the encoder and quantizer exactly as a VQ-VAE's
 * (official-vqvae.ts), the `decoder.` UNet by the graph builder, nothing left over. The encoder graph is
 * written too, so pictures can be tokenized as the official `tokenize` does (inputs in [−1, 1]).
 *
 * Scheduler semantics are 4M's own classes (fourm/vq/scheduling): DDPM timesteps r·(n−1) … 0 with
 * r = ⌊T/n⌋; DDIM 'trailing' with the same integer ratio (the pipeline's default mode), eta 0, the
 * noise direction from the unclamped network estimate; thresholding with the DiVAE's fixed
 * sample_max_value 1 is exactly a [−1, 1] clamp of the x0 estimate.
 */
import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConfigValue } from '../../registry/checkpoint-config';
import { createRng } from '../../core';
import { inferenceTimesteps, normalNoiseFrom, sampleDiffusion, type BetaSchedule, type DiffusionDecoderConfig, type DiffusionRunOptions, type NormalNoise, type PredictionType } from '../../tokenizers/diffusion';
import type { DecodedImage, ImageDomainName } from '../../tokenizers/image';
import { GraphBuildError } from '../convert/fm-encoder-graph';
import { unetGraph, unetShapeFromTensors, type UnetShape } from '../convert/unet-graph';
import { buildCodebookGraph, buildVqEncoderGraph, type VqEncoderShape } from '../convert/vq-graphs';
import { openCheckpoint } from '../fm/checkpoint';
import { checkpointIn } from '../fm/official-fm';
import { OfficialCheckpointError } from '../fm/official-modalities';
import type { SafetensorsHeader } from '../fm/safetensors';
import { seedFromTokens } from '../generate/diffusion-decode';
import { expectFloat32, expectInt64, float32, GraphSession, int64, type RuntimeOptions, type TensorData } from '../runtime';
import { divaeImage } from './official-divae-image';
import { checkTensors, configReader, encoderTensors, parseVqEncoderConfig, vqEncoderLayout, type OfficialVqEncoderConfig } from './official-vqvae';

/** The released decoder preset (fourm/vq/models/unet/unet.py `unet_patched`), checked against the tensors. */
export const UNET_PRESETS: Readonly<Record<string, Omit<UnetShape, 'channels' | 'condChannels' | 'heads'>>> = {
  unet_patched: { patch: 4, modelChannels: 256, channelMult: [1, 2, 2, 2], numResBlocks: 3, attentionResolutions: [4, 8] },
};

/** The demo's and notebooks' decoding_steps (the class default would be all 1000 training steps). */
export const DIVAE_DEFAULT_STEPS = 50;

export interface OfficialDivaeConfig extends OfficialVqEncoderConfig {
  readonly decType: string;
  readonly imageSizeDec: number;
  readonly scheduler: 'ddpm' | 'ddim';
  readonly numTrainTimesteps: number;
  readonly betaSchedule: BetaSchedule;
  readonly predictionType: PredictionType;
  readonly clipSample: boolean;
  readonly thresholding: boolean;
  readonly zeroTerminalSnr: boolean;
}

/** True when a tokenizer config describes a DiVAE (a diffusion decoder) rather than a VQ-VAE. */
export function isDivaeConfig(raw: Readonly<Record<string, ConfigValue>>): boolean {
  const dec = raw.dec_type;
  return typeof raw.beta_schedule === 'string' || typeof raw.prediction_type === 'string' || (typeof dec === 'string' && /^(unet|uvit)/.test(dec));
}

/** Reads the config (config.json keys as DiVAE.__init__ names them), refusing what is not implemented. */
export function parseDivaeConfig(raw: Readonly<Record<string, ConfigValue>>, source: string): OfficialDivaeConfig {
  const r = configReader(raw, source);
  const decType = r.str('dec_type', 'unet_patched');
  if (decType.startsWith('uvit')) r.fail('dec_type', `"${decType}": the UViT diffusion decoders are not implemented (the released DiVAE tokenizers use unet_patched)`);
  if (!decType.startsWith('unet_')) r.fail('dec_type', `"${decType}"; only the patched-UNet diffusion decoders (unet_*) are implemented`);
  const base = parseVqEncoderConfig(r);
  if (base.nLabels !== undefined) r.fail('n_labels', `${base.nLabels}; a DiVAE over class maps is not implemented`);
  const scheduler = r.str('scheduler', 'ddpm');
  if (scheduler !== 'ddpm' && scheduler !== 'ddim') r.fail('scheduler', `"${scheduler}"; only 'ddpm' and 'ddim' are implemented`);
  const betaSchedule = r.str('beta_schedule', 'squaredcos_cap_v2');
  if (!['linear', 'scaled_linear', 'squaredcos_cap_v2'].includes(betaSchedule)) {
    r.fail('beta_schedule', `"${betaSchedule}"; only linear, scaled_linear and squaredcos_cap_v2 are implemented`);
  }
  const predictionType = r.str('prediction_type', 'v_prediction');
  if (!['sample', 'epsilon', 'v_prediction'].includes(predictionType)) r.fail('prediction_type', `"${predictionType}"; expected sample, epsilon or v_prediction`);
  if (raw.trained_betas !== undefined && raw.trained_betas !== null) r.fail('trained_betas', 'explicit betas are not implemented');
  return {
    ...base,
    decType,
    imageSizeDec: r.int('image_size_dec', base.imageSize),
    scheduler: scheduler as 'ddpm' | 'ddim',
    numTrainTimesteps: r.int('num_train_timesteps', 1000),
    betaSchedule: betaSchedule as BetaSchedule,
    predictionType: predictionType as PredictionType,
    clipSample: r.bool('clip_sample', false),
    thresholding: r.bool('thresholding', true),
    zeroTerminalSnr: r.bool('zero_terminal_snr', true),
  };
}

/**
 * The loop's settings from the config. DiVAE passes neither beta_start/beta_end nor the clamp
 * ranges, so the schedulers' defaults hold: betas 1e-4 … 0.02, clip_sample_range 1 and
 * sample_max_value 1, with which dynamic thresholding is exactly a [−1, 1] clamp.
 */
export function divaeSampler(c: OfficialDivaeConfig, steps = DIVAE_DEFAULT_STEPS, scheduler: 'ddpm' | 'ddim' = c.scheduler): DiffusionDecoderConfig {
  return {
    schedule: { numTrainTimesteps: c.numTrainTimesteps, betaSchedule: c.betaSchedule, betaStart: 1e-4, betaEnd: 0.02, zeroTerminalSnr: c.zeroTerminalSnr },
    scheduler,
    steps,
    prediction: c.predictionType,
    clipSample: c.thresholding || c.clipSample ? 1 : null,
    ddimSpacing: 'trailing-floor',
    ddimEpsilon: 'network',
  };
}

/** The UNet's shape from the tensors, held against the config (preset, channels, latent width). */
function unetLayout(header: SafetensorsHeader, c: OfficialDivaeConfig, source: string): UnetShape {
  const file = header.file;
  const preset = UNET_PRESETS[c.decType];
  let patch = preset?.patch;
  if (patch === undefined) {
    // Unknown preset names (none released): the patch from the output convolution, C·P² channels.
    const out = header.entries.get('decoder.out.2.weight');
    if (!out) throw new OfficialCheckpointError(`${file}: tensor "decoder.out.2.weight" is missing (not a patched-UNet DiVAE decoder?)`);
    const p = Math.round(Math.sqrt((out.shape[0] as number) / c.nChannels));
    if (p * p * c.nChannels !== out.shape[0]) throw new OfficialCheckpointError(`${file}: the decoder's output convolution has ${out.shape[0]} channels, not n_channels ${c.nChannels} × a square patch (${source})`);
    patch = p;
  }
  let s: UnetShape;
  try {
    s = unetShapeFromTensors(header, patch);
  } catch (error) {
    if (error instanceof GraphBuildError) throw new OfficialCheckpointError(error.message);
    throw error;
  }
  if (s.channels !== c.nChannels) throw new OfficialCheckpointError(`${file}: the UNet decodes ${s.channels} channel(s), ${source} says n_channels ${c.nChannels}`);
  if (s.condChannels !== c.latentDim) throw new OfficialCheckpointError(`${file}: the UNet takes a ${s.condChannels}-channel condition, ${source} says latent_dim ${c.latentDim}`);
  if (preset) {
    const got = { patch: s.patch, modelChannels: s.modelChannels, channelMult: s.channelMult, numResBlocks: s.numResBlocks, attentionResolutions: s.attentionResolutions };
    if (JSON.stringify(got) !== JSON.stringify(preset)) {
      throw new OfficialCheckpointError(`${file}: ${source} says dec_type "${c.decType}" (${JSON.stringify(preset)}), but the decoder tensors are ${JSON.stringify(got)}`);
    }
  }
  return s;
}

export interface DivaeDecodeOptions extends DiffusionRunOptions {
  /** Denoising steps with the file's scheduler (default DIVAE_DEFAULT_STEPS). */
  readonly steps?: number | undefined;
  /** A quick DDIM decode with this many steps instead (progress previews); overrides steps. */
  readonly previewSteps?: number | undefined;
  /** Injected noise (parity tests); default: seeded from `seed`, or from the tokens. */
  readonly noise?: NormalNoise | undefined;
  readonly seed?: number | undefined;
}

export interface OfficialDivae {
  readonly kind: 'divae';
  readonly file: string;
  readonly configSource: string;
  readonly config: OfficialDivaeConfig;
  readonly unet: UnetShape;
  readonly encoderLayout: VqEncoderShape;
  /** Picture side in pixels (grid × patch size). */
  readonly imageSize: number;
  readonly grid: readonly [number, number];
  readonly codebookSize: number;
  readonly channels: number;
  /** Tokens (row-major grid) of float32 [C, H, W] pixels in [−1, 1] (the official preprocessing's range). */
  tokenize(pixels: Float32Array): Promise<Int32Array>;
  /** The condition map the decoder takes: raw codebook rows [1, L, h, w]. */
  quant(tokens: ArrayLike<number>): Promise<TensorData>;
  /** Tokens → [C, H, W] values in about [−1, 1]. */
  decode(tokens: ArrayLike<number>, options?: DivaeDecodeOptions): Promise<Float32Array>;
  release(): Promise<void>;
}

export interface OpenDivaeOptions extends RuntimeOptions {
  /** Picture side in pixels (default 224: 14×14 tokens at patch 16). */
  readonly imageSize?: number;
  readonly rewriteGraphs?: boolean;
}

const exists = (file: string): Promise<boolean> => access(file).then(() => true, () => false);

export async function openOfficialDivae(path: string, options: OpenDivaeOptions = {}): Promise<OfficialDivae> {
  const file = await checkpointIn(path);
  const info = await openCheckpoint(file);
  if (!info.config) throw new OfficialCheckpointError(`${file}: no tokenizer config (neither in the header's __metadata__ nor in a config.json beside it)`);
  const source = info.configSource === 'metadata' ? `${file} __metadata__` : (info.configSource as string);
  const config = parseDivaeConfig(info.config, source);
  const imageSize = options.imageSize ?? 224;
  const header = info.header;
  const enc = vqEncoderLayout(header, config, source, imageSize);
  const unet = unetLayout(header, config, source);
  let built: ReturnType<typeof unetGraph>;
  try {
    built = unetGraph(header, unet);
  } catch (error) {
    if (error instanceof GraphBuildError) throw new OfficialCheckpointError(error.message);
    throw error;
  }
  checkTensors(header, encoderTensors(enc), source, built.tensors);

  const dir = join(file, '..');
  const tag = `${enc.grid[0]}x${enc.grid[1]}`;
  const names = { encoder: `divae_encoder_${tag}.onnx`, codebook: `divae_codebook_${tag}.onnx`, unet: 'divae_unet.onnx' };
  const write = async (name: string, bytes: () => Uint8Array): Promise<void> => {
    if (options.rewriteGraphs || !(await exists(join(dir, name)))) await writeFile(join(dir, name), bytes());
  };
  await write(names.encoder, () => buildVqEncoderGraph(header, enc));
  await write(names.codebook, () => buildCodebookGraph(header, enc));
  await write(names.unet, () => built.graph);
  const [encoder, codebook, denoiser] = await Promise.all([names.encoder, names.codebook, names.unet].map((n) => GraphSession.open(join(dir, n), options)));
  const [gh, gw] = enc.grid;
  const C = config.nChannels;
  const side = gh * config.patchSize;

  const quant = async (tokens: ArrayLike<number>): Promise<TensorData> => {
    if (tokens.length !== gh * gw) throw new RangeError(`${file}: ${tokens.length} tokens, expected ${gh}×${gw}`);
    const ids = new BigInt64Array(gh * gw);
    for (let i = 0; i < ids.length; i++) {
      const v = tokens[i] as number;
      if (!Number.isInteger(v) || v < 0 || v >= config.codebookSize) throw new RangeError(`${file}: token ${i} = ${v} is outside 0…${config.codebookSize - 1}`);
      ids[i] = BigInt(v);
    }
    const out = await (codebook as GraphSession).run({ ids: int64(ids, [1, gh, gw]) });
    return expectFloat32(out.quant, `${names.codebook} quant`);
  };

  return {
    kind: 'divae',
    file,
    configSource: source,
    config,
    unet,
    encoderLayout: enc,
    imageSize: side,
    grid: enc.grid,
    codebookSize: config.codebookSize,
    channels: C,
    async tokenize(pixels) {
      const want = C * imageSize * imageSize;
      if (pixels.length !== want) throw new RangeError(`${file}: ${pixels.length} values, expected ${C}×${imageSize}×${imageSize}`);
      const out = await (encoder as GraphSession).run({ pixels: float32(pixels, [1, C, imageSize, imageSize]) });
      return Int32Array.from(expectInt64(out.ids, `${names.encoder} ids`).data, (v) => Number(v));
    },
    quant,
    async decode(tokens, opts = {}) {
      const q = await quant(tokens);
      const preview = opts.previewSteps !== undefined;
      const steps = preview ? opts.previewSteps : (opts.steps ?? DIVAE_DEFAULT_STEPS);
      const sampler = divaeSampler(config, Math.min(steps as number, config.numTrainTimesteps), preview ? 'ddim' : config.scheduler);
      // Validates the step count before any network call (clear message for 0, fractions, > T).
      inferenceTimesteps(sampler.scheduler === 'ddpm' ? 'ddpm' : 'ddim-trailing-floor', sampler.steps, config.numTrainTimesteps);
      const dims = [1, C, side, side];
      const noise = opts.noise ?? normalNoiseFrom(((rng) => () => rng.nextFloat())(createRng(opts.seed ?? seedFromTokens(tokens))));
      return sampleDiffusion(
        sampler,
        C * side * side,
        async (xt, t) => {
          const out = await (denoiser as GraphSession).run({ x_t: float32(xt, dims), t: float32(Float32Array.of(t), [1]), quant: q });
          return expectFloat32(out.estimate, `${names.unet} estimate`).data;
        },
        noise,
        opts,
      );
    },
    async release() {
      await Promise.all([encoder, codebook, denoiser].map((s) => (s as GraphSession).release()));
    },
  };
}

/** FM tokens of an RGB / depth / normal / edge modality → display image, through the DiVAE. */
export async function decodeOfficialDivae(tok: OfficialDivae, domain: Exclude<ImageDomainName, 'semseg'>, tokens: ArrayLike<number>, options: DivaeDecodeOptions = {}): Promise<DecodedImage> {
  const values = await tok.decode(tokens, options);
  return divaeImage(domain, values, tok.channels, tok.imageSize, tok.imageSize);
}
