import { describe, expect, it } from 'vitest';
import { alphasCumprod, betas, DIVAE_SCHEDULE, inferenceTimesteps } from '../../../../../models/tokenizers/diffusion';

describe('noise schedules', () => {
  it('linear β runs from start to end; without the rescale ᾱ is the running product', () => {
    const plain = { ...DIVAE_SCHEDULE, zeroTerminalSnr: false };
    const b = betas(plain);
    expect(b[0]).toBeCloseTo(1e-4, 12);
    expect(b[999]).toBeCloseTo(0.02, 12);
    const ac = alphasCumprod(plain);
    expect(ac[1]).toBeCloseTo((1 - 1e-4) * (1 - (1e-4 + 0.0199 / 999)), 12);
  });

  it('zero terminal SNR ends in pure noise and keeps the first level (DiVAE)', () => {
    const ac = alphasCumprod(DIVAE_SCHEDULE);
    expect(ac[999]).toBeLessThan(1e-20);
    expect(ac[0]).toBeCloseTo(1 - 1e-4, 10);
    for (let i = 1; i < 1000; i++) expect(ac[i]).toBeLessThanOrEqual(ac[i - 1] as number);
  });

  it('the cosine schedule caps β at 0.999', () => {
    const b = betas({ ...DIVAE_SCHEDULE, betaSchedule: 'squaredcos_cap_v2', zeroTerminalSnr: false });
    expect(Math.max(...b)).toBeLessThanOrEqual(0.999);
    expect(b[0]).toBeGreaterThan(0);
  });

  it('DDPM steps by ⌊T/n⌋ down to 0 (50 steps: 980 … 0); DDIM trailing starts at T − 1', () => {
    const ddpm = Array.from(inferenceTimesteps('ddpm', 50, 1000));
    expect(ddpm.slice(0, 3)).toEqual([980, 960, 940]);
    expect(ddpm.at(-1)).toBe(0);
    expect(Array.from(inferenceTimesteps('ddim-trailing', 5, 1000))).toEqual([999, 799, 599, 399, 199]);
    expect(() => inferenceTimesteps('ddpm', 0, 1000)).toThrow(/steps/);
  });

  it("4M's own DDIM trailing uses the integer ratio ⌊T/n⌋: equal when n divides T, an extra step otherwise", () => {
    expect(Array.from(inferenceTimesteps('ddim-trailing-floor', 5, 1000))).toEqual([999, 799, 599, 399, 199]);
    // np.arange(1000, 0, -333) - 1, as fourm/vq/scheduling/scheduling_ddim.py lists it.
    expect(Array.from(inferenceTimesteps('ddim-trailing-floor', 3, 1000))).toEqual([999, 666, 333, 0]);
    expect(Array.from(inferenceTimesteps('ddim-trailing', 3, 1000))).toEqual([999, 666, 332]);
  });
});
