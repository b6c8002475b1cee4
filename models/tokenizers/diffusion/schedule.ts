/**
 * Noise schedules of the diffusion tokenizer decoders (4M's DiVAE, reference
 * §4.4), in float64: β per training timestep, ᾱ (alphas_cumprod), the
 * zero-terminal-SNR rescale, and the inference timesteps of the DDPM and DDIM
 * schedulers. Pure: no I/O, no runtime.
 */

export type BetaSchedule = 'linear' | 'scaled_linear' | 'squaredcos_cap_v2';

export interface NoiseScheduleConfig {
  readonly numTrainTimesteps: number;
  readonly betaSchedule: BetaSchedule;
  readonly betaStart: number;
  readonly betaEnd: number;
  /** Rescale so that ᾱ at the last timestep is exactly 0 (pure noise). */
  readonly zeroTerminalSnr: boolean;
}

/** The official DiVAE predx0 configs: linear 1e-4 … 0.02 over 1000 steps, zero terminal SNR. */
export const DIVAE_SCHEDULE: NoiseScheduleConfig = {
  numTrainTimesteps: 1000,
  betaSchedule: 'linear',
  betaStart: 1e-4,
  betaEnd: 0.02,
  zeroTerminalSnr: true,
};

export function betas(c: NoiseScheduleConfig): Float64Array {
  const n = c.numTrainTimesteps;
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`numTrainTimesteps must be an integer >= 2, got ${n}`);
  const out = new Float64Array(n);
  if (c.betaSchedule === 'linear') {
    for (let i = 0; i < n; i++) out[i] = c.betaStart + ((c.betaEnd - c.betaStart) * i) / (n - 1);
  } else if (c.betaSchedule === 'scaled_linear') {
    const a = Math.sqrt(c.betaStart);
    const b = Math.sqrt(c.betaEnd);
    for (let i = 0; i < n; i++) out[i] = (a + ((b - a) * i) / (n - 1)) ** 2;
  } else {
    // Nichol & Dhariwal's cosine ᾱ(t), β capped at 0.999.
    const abar = (t: number): number => Math.cos(((t + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
    for (let i = 0; i < n; i++) out[i] = Math.min(1 - abar((i + 1) / n) / abar(i / n), 0.999);
  }
  return c.zeroTerminalSnr ? rescaleZeroTerminalSnr(out) : out;
}

/**
 * Lin et al. 2024, "Common diffusion noise schedules and sampling steps are flawed":
 * shift and scale √ᾱ so that its last value is 0 and its first is unchanged.
 */
export function rescaleZeroTerminalSnr(b: Float64Array): Float64Array {
  const n = b.length;
  const sqrtAbar = new Float64Array(n);
  let prod = 1;
  for (let i = 0; i < n; i++) {
    prod *= 1 - (b[i] as number);
    sqrtAbar[i] = Math.sqrt(prod);
  }
  const first = sqrtAbar[0] as number;
  const last = sqrtAbar[n - 1] as number;
  for (let i = 0; i < n; i++) sqrtAbar[i] = (((sqrtAbar[i] as number) - last) * first) / (first - last);
  const out = new Float64Array(n);
  let prev = 1;
  for (let i = 0; i < n; i++) {
    const abar = (sqrtAbar[i] as number) ** 2;
    out[i] = 1 - abar / prev;
    prev = abar;
  }
  return out;
}

export function alphasCumprod(c: NoiseScheduleConfig): Float64Array {
  const b = betas(c);
  const out = new Float64Array(b.length);
  let prod = 1;
  for (let i = 0; i < b.length; i++) {
    prod *= 1 - (b[i] as number);
    out[i] = prod;
  }
  return out;
}

/**
 * Inference timesteps, descending. DDPM (as diffusers' DDPMScheduler.set_timesteps,
 * which ignores the spacing mode): r = ⌊T/n⌋, t = r·(n−1), …, r, 0. DDIM 'trailing':
 * round(T − k·T/n) − 1 for k = 0 … n−1, so the first step starts at T − 1.
 * 'ddim-trailing-floor' is 4M's own DDIMScheduler (fourm/vq/scheduling): the integer ratio
 * r = ⌊T/n⌋ and t = T−1, T−1−r, … while positive, which is n steps when n divides T and
 * ⌈T/r⌉ (one or more extra) otherwise.
 */
export function inferenceTimesteps(kind: 'ddpm' | 'ddim-trailing' | 'ddim-trailing-floor', steps: number, numTrainTimesteps: number): Int32Array {
  if (!Number.isInteger(steps) || steps < 1 || steps > numTrainTimesteps) {
    throw new RangeError(`steps must be an integer in 1 … ${numTrainTimesteps}, got ${steps}`);
  }
  if (kind === 'ddim-trailing-floor') {
    const r = Math.floor(numTrainTimesteps / steps);
    return Int32Array.from({ length: Math.ceil(numTrainTimesteps / r) }, (_, k) => numTrainTimesteps - 1 - k * r);
  }
  const out = new Int32Array(steps);
  if (kind === 'ddpm') {
    const r = Math.floor(numTrainTimesteps / steps);
    for (let k = 0; k < steps; k++) out[k] = r * (steps - 1 - k);
  } else {
    const ratio = numTrainTimesteps / steps;
    for (let k = 0; k < steps; k++) out[k] = Math.round(numTrainTimesteps - k * ratio) - 1;
  }
  return out;
}
