import { describe, expect, test } from 'vitest';
import { applyQuality, clampField, DEFAULT_SAMPLING, defaultTarget, qualityOf } from '../../../../renderer/src/generation/settings';

describe('typed values', () => {
  test('are brought into range and rounded where they count; junk keeps the old value', () => {
    expect(clampField('steps', '4096', 8)).toBe(256);
    expect(clampField('steps', '0', 8)).toBe(1);
    expect(clampField('steps', '7.6', 8)).toBe(8);
    expect(clampField('variations', '64', 1)).toBe(8);
    expect(clampField('topP', '1.5', 0.9)).toBe(1);
    expect(clampField('temperature', '-1', 1)).toBe(0);
    expect(clampField('seed', 'abc', 1234)).toBe(1234);
    expect(clampField('cfgScale', '', 3)).toBe(3);
  });
});

describe('quality presets', () => {
  const chain = [defaultTarget('rgb', 'image'), defaultTarget('caption', 'text')];
  test('the defaults are Balanced; Fast and Best set every image target’s steps and the schedule', () => {
    expect(qualityOf(chain, DEFAULT_SAMPLING)).toBe('balanced');
    const fast = applyQuality(chain, DEFAULT_SAMPLING, 'fast');
    expect(fast.chain.map((t) => t.steps)).toEqual([4, 1]);
    expect(qualityOf(fast.chain, fast.sampling)).toBe('fast');
    const best = applyQuality(chain, DEFAULT_SAMPLING, 'best');
    expect(best.sampling.temperatureSchedule).toBe('linear');
    expect(qualityOf(best.chain, best.sampling)).toBe('best');
    expect(qualityOf([{ ...chain[0]!, steps: 12 }], DEFAULT_SAMPLING)).toBeNull();
  });
});
