import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';

/**
 * ORT lists CUDA on Linux/Windows even when its provider library was never
 * fetched (npm ci on Linux x64 fetches it; installers never ship it). Trying it then only prints a red
 * "Failed to load library" line, so mark it not bundled unless the library is there.
 */
export function installedBackends(): { name: string; bundled: boolean }[] {
  const binDir = join(
    dirname(createRequire(import.meta.url).resolve('onnxruntime-node')),
    '..', 'bin', 'napi-v6', process.platform, process.arch,
  );
  const cudaLib = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  return ort.listSupportedBackends().map((backend) =>
    backend.name === 'cuda' ? { ...backend, bundled: existsSync(join(binDir, cudaLib)) } : backend,
  );
}
