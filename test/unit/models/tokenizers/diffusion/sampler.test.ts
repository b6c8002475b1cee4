import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../../models/core';
import { alphasCumprod, DIVAE_SCHEDULE, estimateX0, normalNoiseFrom, sampleDiffusion, type DiffusionDecoderConfig } from '../../../../../models/tokenizers/diffusion';

const config = (over: Partial<DiffusionDecoderConfig> = {}): DiffusionDecoderConfig => ({
  schedule: DIVAE_SCHEDULE,
  scheduler: 'ddpm',
  steps: 10,
  prediction: 'sample',
  clipSample: 1,
  ...over,
});
const seeded = (seed: number) => {
  const rng = createRng(seed);
  return normalNoiseFrom(() => rng.nextFloat());
};

describe('sampleDiffusion', () => {
  it('with a network that always answers the same x0, DDPM and DDIM land exactly on it', async () => {
    const target = Float32Array.from([-0.5, 0, 0.25, 0.9]);
    for (const scheduler of ['ddpm', 'ddim'] as const) {
      const calls: number[] = [];
      const x = await sampleDiffusion(config({ scheduler, steps: 5 }), 4, async (_xt, t) => (calls.push(t), target), seeded(1));
      expect(Array.from(x).map((v) => Number(v.toFixed(6)))).toEqual(Array.from(target).map((v) => Number(v.toFixed(6))));
      expect(calls).toEqual(scheduler === 'ddpm' ? [800, 600, 400, 200, 0] : [999, 799, 599, 399, 199]);
    }
  });

  it('is a function of the noise: same seed, same result; the x0 estimate is clamped', async () => {
    const denoise = async (xt: Float32Array) => Float32Array.from(xt, (v) => 3 * v);
    const a = await sampleDiffusion(config(), 8, denoise, seeded(2));
    const b = await sampleDiffusion(config(), 8, denoise, seeded(2));
    const c = await sampleDiffusion(config(), 8, denoise, seeded(3));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(Math.max(...a.map(Math.abs))).toBeLessThanOrEqual(1 + 1e-6);
  });

  it("DDIM's noise direction: from the clamped estimate by default, from the network's own with ddimEpsilon 'network'", async () => {
    // A network whose estimate is clamped at t = 666 and not at t = 332, so the two directions part.
    const f = (x: number): number => -2 * x - 1;
    const ac = alphasCumprod(DIVAE_SCHEDULE);
    const reference = (fromNetwork: boolean): number => {
      let x = 0.5;
      for (const t of [999, 666, 332]) {
        const [ab, abPrev] = [ac[t] as number, t >= 333 ? (ac[t - 333] as number) : 1];
        const o = f(x);
        const x0 = Math.max(-1, Math.min(1, o));
        const eps = (x - Math.sqrt(ab) * (fromNetwork ? o : x0)) / Math.sqrt(1 - ab);
        x = Math.sqrt(abPrev) * x0 + Math.sqrt(1 - abPrev) * eps;
      }
      return x;
    };
    const run = (ddimEpsilon?: 'network') =>
      sampleDiffusion(config({ scheduler: 'ddim', steps: 3, ...(ddimEpsilon ? { ddimEpsilon } : {}) }), 1, async (xt) => Float32Array.of(f(xt[0] as number)), (out) => out.fill(0.5));
    const [clamped, network] = [(await run())[0] as number, (await run('network'))[0] as number];
    expect(clamped).toBeCloseTo(reference(false), 5);
    expect(network).toBeCloseTo(reference(true), 5);
    expect(Math.abs(clamped - network)).toBeGreaterThan(0.1);
  });

  it('reads x0 back from ε and v predictions', () => {
    const ab = alphasCumprod(DIVAE_SCHEDULE)[400] as number;
    const x0 = 0.3;
    const eps = -1.2;
    const xt = Float32Array.of(Math.sqrt(ab) * x0 + Math.sqrt(1 - ab) * eps);
    const v = Math.sqrt(ab) * eps - Math.sqrt(1 - ab) * x0;
    expect(estimateX0(config({ prediction: 'epsilon' }), Float32Array.of(eps), xt, ab)[0]).toBeCloseTo(x0, 5);
    expect(estimateX0(config({ prediction: 'v_prediction' }), Float32Array.of(v), xt, ab)[0]).toBeCloseTo(x0, 5);
    expect(estimateX0(config({ clipSample: null }), Float32Array.of(4), xt, ab)[0]).toBe(4);
  });

  it('stops between steps when cancelled and reports each step with its x0 estimate', async () => {
    const ctrl = new AbortController();
    const steps: number[] = [];
    const run = sampleDiffusion(config(), 2, async () => Float32Array.of(0, 0), seeded(1), {
      signal: ctrl.signal,
      onStep: (step, total, x0) => {
        steps.push(step);
        expect(total).toBe(10);
        expect(x0).toHaveLength(2);
        if (step === 3) ctrl.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(steps).toEqual([1, 2, 3]);
  });

  it('normal noise has mean ≈ 0 and variance ≈ 1', () => {
    const out = new Float32Array(20_001);
    seeded(9)(out);
    const mean = out.reduce((a, b) => a + b, 0) / out.length;
    const variance = out.reduce((a, b) => a + (b - mean) ** 2, 0) / out.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});
