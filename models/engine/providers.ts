/**
 * Execution-provider choice. Pure: given the platform and the backends this
 * onnxruntime-node build ships, list what to try, in order, and why the rest
 * are skipped. session.ts then tries the candidates for real and falls back.
 */
export const PROVIDER_ORDER = ['cuda', 'dml', 'coreml', 'cpu'] as const;
export type ProviderName = (typeof PROVIDER_ORDER)[number];

export interface SkippedProvider {
  provider: string;
  reason: string;
}

export interface ProviderPlan {
  candidates: ProviderName[];
  skipped: SkippedProvider[];
}

/** Which OS each provider can exist on at all. */
const PLATFORMS: Record<ProviderName, readonly NodeJS.Platform[] | 'any'> = {
  cuda: ['linux', 'win32'],
  dml: ['win32'],
  coreml: ['darwin'],
  cpu: 'any',
};

/** As onnxruntime-node's listSupportedBackends() reports it; `bundled` = its library is present. */
export interface BackendInfo {
  name: string;
  bundled: boolean;
}

export function planProviders(
  platform: NodeJS.Platform,
  backends: readonly BackendInfo[],
  order: readonly ProviderName[] = PROVIDER_ORDER,
): ProviderPlan {
  const candidates: ProviderName[] = [];
  const skipped: SkippedProvider[] = [];
  for (const provider of order) {
    const platforms = PLATFORMS[provider];
    if (platforms !== 'any' && !platforms.includes(platform)) {
      skipped.push({ provider, reason: `not available on ${platform}` });
      continue;
    }
    const backend = backends.find((b) => b.name === provider);
    if (!backend) {
      skipped.push({ provider, reason: 'not in this onnxruntime-node build' });
      continue;
    }
    if (!backend.bundled) {
      skipped.push({
        provider,
        reason: provider === 'cuda' ? cudaMissing(platform) : 'provider library not installed',
      });
      continue;
    }
    // Present is not the same as working (drivers, GPU): session creation decides.
    candidates.push(provider);
  }
  if (!candidates.includes('cpu')) candidates.push('cpu');
  return { candidates, skipped };
}

/**
 * Why CUDA is missing, in words a user can act on. The installers never ship ORT's CUDA provider
 * (it needs the user's CUDA 12 and cuDNN 9 anyway); a Linux x64 `npm ci` fetches it by default,
 * and on Windows it has to be copied in by hand (README, "GPU").
 */
function cudaMissing(platform: NodeJS.Platform): string {
  return platform === 'win32'
    ? 'CUDA provider not installed (onnxruntime_providers_cuda.dll; see the README, "GPU")'
    : 'CUDA provider not installed (libonnxruntime_providers_cuda.so; see the README, "GPU")';
}
