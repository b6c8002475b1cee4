import { describe, expect, test } from 'vitest';
import { planProviders } from '../../../models/engine/providers';

const linuxCpu = [{ name: 'cpu', bundled: true }, { name: 'cuda', bundled: false }];

describe('planProviders', () => {
  test('on Linux without the CUDA library uses CPU and says why each other provider is skipped', () => {
    const plan = planProviders('linux', linuxCpu);
    expect(plan.candidates).toEqual(['cpu']);
    expect(plan.skipped).toEqual([
      { provider: 'cuda', reason: 'CUDA provider not installed (libonnxruntime_providers_cuda.so; see the README, "GPU")' },
      { provider: 'dml', reason: 'not available on linux' },
      { provider: 'coreml', reason: 'not available on linux' },
    ]);
  });

  test('on Linux with the CUDA library tries CUDA first', () => {
    const plan = planProviders('linux', [{ name: 'cpu', bundled: true }, { name: 'cuda', bundled: true }]);
    expect(plan.candidates).toEqual(['cuda', 'cpu']);
  });

  test('skips a provider the build does not ship, and always ends with CPU', () => {
    const plan = planProviders('win32', [{ name: 'dml', bundled: true }]);
    expect(plan.candidates).toEqual(['dml', 'cpu']);
    expect(plan.skipped).toContainEqual({ provider: 'cuda', reason: 'not in this onnxruntime-node build' });
  });

  test('on Windows without the CUDA library names the DLL a user would copy in, and tries DirectML', () => {
    const plan = planProviders('win32', [{ name: 'cpu', bundled: true }, { name: 'dml', bundled: true }, { name: 'cuda', bundled: false }]);
    expect(plan.candidates).toEqual(['dml', 'cpu']);
    expect(plan.skipped[0]).toEqual({ provider: 'cuda', reason: 'CUDA provider not installed (onnxruntime_providers_cuda.dll; see the README, "GPU")' });
  });

  test('on macOS prefers CoreML', () => {
    const plan = planProviders('darwin', [{ name: 'coreml', bundled: true }, { name: 'cpu', bundled: true }]);
    expect(plan.candidates).toEqual(['coreml', 'cpu']);
  });
});
