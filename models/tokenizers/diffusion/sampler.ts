/**
 * The sampling loop of a diffusion tokenizer decoder (4M's DiVAE, reference
 * §4.4) around a one-step denoiser: start from Gaussian noise, ask the network
 * for its estimate at each inference timestep, step with DDPM (the demo's
 * choice, with noise) or DDIM (deterministic, fewer steps). The network is
 * injected, so this file is pure; the engine runs it on an ONNX graph.
 */
import { alphasCumprod, inferenceTimesteps, type NoiseScheduleConfig } from './schedule';

/** What the network predicts: x0 ('sample'), the noise ('epsilon') or v. */
export type PredictionType = 'sample' | 'epsilon' | 'v_prediction';

export interface DiffusionDecoderConfig {
  readonly schedule: NoiseScheduleConfig;
  readonly scheduler: 'ddpm' | 'ddim';
  readonly steps: number;
  readonly prediction: PredictionType;
  /** Clamp the x0 estimate to [−c, c] (DiVAE: 1); null = no clamp. */
  readonly clipSample: number | null;
  /**
   * DDIM timesteps: 'trailing' (default; diffusers' float ratio) or 'trailing-floor' (4M's own
   * DDIMScheduler, integer ratio; see inferenceTimesteps).
   */
  readonly ddimSpacing?: 'trailing' | 'trailing-floor';
  /**
   * DDIM's noise direction: from the clamped x0 estimate ('clamped', default: the recipe's loop) or
   * from the network output before the clamp ('network': diffusers' and 4M's DDIMScheduler, which
   * keep use_clipped_model_output false). They differ only where the clamp bites.
   */
  readonly ddimEpsilon?: 'clamped' | 'network';
}

/** Network output for x_t at timestep t (same length as x_t). */
export type Denoise = (xt: Float32Array, t: number) => Promise<Float32Array>;

/** Fills `out` with independent standard normal draws. */
export type NormalNoise = (out: Float32Array) => void;

export interface DiffusionRunOptions {
  readonly signal?: AbortSignal | undefined;
  /** After each step: 1-based step, step count, and the current x0 estimate (a preview). */
  readonly onStep?: ((step: number, total: number, x0: Float32Array) => void) | undefined;
}

/** Runs the loop for a sample of `size` values; returns x at t = 0. */
export async function sampleDiffusion(
  config: DiffusionDecoderConfig,
  size: number,
  denoise: Denoise,
  noise: NormalNoise,
  options: DiffusionRunOptions = {},
): Promise<Float32Array> {
  const ac = alphasCumprod(config.schedule);
  const T = config.schedule.numTrainTimesteps;
  const timesteps = inferenceTimesteps(config.scheduler === 'ddpm' ? 'ddpm' : config.ddimSpacing === 'trailing-floor' ? 'ddim-trailing-floor' : 'ddim-trailing', config.steps, T);
  const stride = Math.floor(T / config.steps);
  let x = new Float32Array(size);
  noise(x);
  const z = new Float32Array(size);
  for (let k = 0; k < timesteps.length; k++) {
    if (options.signal?.aborted) throw abortError(options.signal.reason);
    const t = timesteps[k] as number;
    const out = await denoise(x, t);
    if (out.length !== size) throw new RangeError(`denoiser returned ${out.length} values, expected ${size}`);
    const abar = ac[t] as number;
    const prevT = t - stride;
    const abarPrev = prevT >= 0 ? (ac[prevT] as number) : 1;
    const x0 = estimateX0(config, out, x, abar);
    const eps0 = config.scheduler === 'ddim' && config.ddimEpsilon === 'network' ? estimateX0({ ...config, clipSample: null }, out, x, abar) : x0;
    if (config.scheduler === 'ddpm') {
      const alpha = abar / abarPrev;
      const beta = 1 - alpha;
      const c0 = (Math.sqrt(abarPrev) * beta) / (1 - abar);
      const ct = (Math.sqrt(alpha) * (1 - abarPrev)) / (1 - abar);
      const sigma = prevT >= 0 ? Math.sqrt(Math.max(((1 - abarPrev) / (1 - abar)) * beta, 1e-20)) : 0;
      if (sigma > 0) noise(z);
      const next = new Float32Array(size);
      for (let i = 0; i < size; i++) next[i] = c0 * (x0[i] as number) + ct * (x[i] as number) + (sigma > 0 ? sigma * (z[i] as number) : 0);
      x = next;
    } else {
      // DDIM, eta 0: re-noise the x0 estimate to the previous level along the predicted noise.
      const next = new Float32Array(size);
      const sa = Math.sqrt(abar);
      const sb = Math.sqrt(1 - abar);
      for (let i = 0; i < size; i++) {
        const eps = sb > 0 ? ((x[i] as number) - sa * (eps0[i] as number)) / sb : 0;
        next[i] = Math.sqrt(abarPrev) * (x0[i] as number) + Math.sqrt(1 - abarPrev) * eps;
      }
      x = next;
    }
    options.onStep?.(k + 1, timesteps.length, x0);
  }
  return x;
}

/** x0 from the network output, then clamped (DiVAE's thresholding reduces to a [−1, 1] clamp). */
export function estimateX0(config: DiffusionDecoderConfig, out: Float32Array, xt: Float32Array, abar: number): Float32Array {
  const x0 = new Float32Array(out.length);
  const sa = Math.sqrt(abar);
  const sb = Math.sqrt(1 - abar);
  for (let i = 0; i < out.length; i++) {
    const o = out[i] as number;
    const x = xt[i] as number;
    let v = config.prediction === 'sample' ? o : config.prediction === 'epsilon' ? (sa > 0 ? (x - sb * o) / sa : 0) : sa * x - sb * o;
    if (config.clipSample !== null) v = Math.min(config.clipSample, Math.max(-config.clipSample, v));
    x0[i] = v;
  }
  return x0;
}

/** Standard normal draws from uniform ones (Box–Muller), for a seeded NormalNoise. */
export function normalNoiseFrom(nextFloat: () => number): NormalNoise {
  return (out) => {
    for (let i = 0; i < out.length; i += 2) {
      const u = 1 - nextFloat(); // (0, 1]: log stays finite
      const r = Math.sqrt(-2 * Math.log(u));
      const a = 2 * Math.PI * nextFloat();
      out[i] = r * Math.cos(a);
      if (i + 1 < out.length) out[i + 1] = r * Math.sin(a);
    }
  };
}

function abortError(reason: unknown): Error {
  const e = new Error(typeof reason === 'string' ? reason : 'diffusion decode cancelled');
  e.name = 'AbortError';
  return e;
}
