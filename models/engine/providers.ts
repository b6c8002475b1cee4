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

const BACKEND_NAME: Record<ProviderName, string> = {
  cuda: 'cuda',
  dml: 'dml',
  coreml: 'coreml',
  cpu: 'cpu',
};

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
    const backend = backends.find((b) => b.name === BACKEND_NAME[provider]);
    if (!backend) {
      skipped.push({ provider, reason: 'not in this onnxruntime-node build' });
      continue;
    }
    // An unbundled backend (CUDA, fetched at install with ONNXRUNTIME_NODE_INSTALL=cuda12)
    // stays a candidate: only creating a session tells whether it really loads.
    candidates.push(provider);
  }
  if (!candidates.includes('cpu')) candidates.push('cpu');
  return { candidates, skipped };
}
