import { describe, expect, test } from 'vitest';
import { planProviders } from '../../../models/engine/providers';

const linuxCpu = [{ name: 'cpu', bundled: true }, { name: 'cuda', bundled: false }];

describe('planProviders', () => {
  test('on Linux tries CUDA then CPU, and says why DirectML and CoreML are skipped', () => {
    const plan = planProviders('linux', linuxCpu);
    expect(plan.candidates).toEqual(['cuda', 'cpu']);
    expect(plan.skipped).toEqual([
      { provider: 'dml', reason: 'not available on linux' },
      { provider: 'coreml', reason: 'not available on linux' },
    ]);
  });

  test('skips a provider the build does not ship, and always ends with CPU', () => {
    const plan = planProviders('win32', [{ name: 'dml', bundled: true }]);
    expect(plan.candidates).toEqual(['dml', 'cpu']);
    expect(plan.skipped).toContainEqual({ provider: 'cuda', reason: 'not in this onnxruntime-node build' });
  });

  test('on macOS prefers CoreML', () => {
    const plan = planProviders('darwin', [{ name: 'coreml', bundled: true }, { name: 'cpu', bundled: true }]);
    expect(plan.candidates).toEqual(['coreml', 'cpu']);
  });
});
