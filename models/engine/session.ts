import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { planProviders, type ProviderName, type SkippedProvider } from './providers';

/**
 * The only module that touches onnxruntime-node. Callers get plain typed
 * arrays in and out, so nothing else in the app depends on ORT types.
 */
export interface FloatTensor {
  data: Float32Array;
  dims: readonly number[];
}

export interface ExecutionInfo {
  provider: ProviderName;
  skipped: SkippedProvider[];
}

export interface EngineSession {
  readonly execution: ExecutionInfo;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(inputs: Record<string, FloatTensor>): Promise<Record<string, FloatTensor>>;
  release(): Promise<void>;
}

export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
}

export interface OpenSessionOptions {
  order?: readonly ProviderName[];
}

/** Opens a model on the first provider that works, recording why others failed. */
export async function openSession(
  modelPath: string,
  options: OpenSessionOptions = {},
): Promise<EngineSession> {
  const plan = planProviders(process.platform, installedBackends(), options.order);
  const skipped = [...plan.skipped];
  for (const provider of plan.candidates) {
    try {
      const session = await ort.InferenceSession.create(modelPath, {
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        // A missing accelerator is expected, not an error worth ORT's red log line;
        // the reason is kept in `skipped` and shown in the UI instead.
        ...(provider === 'cpu' ? {} : { logSeverityLevel: 4 as const }),
      });
      return wrap(session, { provider, skipped });
    } catch (error) {
      skipped.push({ provider, reason: `session failed: ${describe(error)}` });
    }
  }
  const reasons = skipped.map((s) => `${s.provider}: ${s.reason}`).join('; ');
  throw new ModelLoadError(`Could not open model ${modelPath} on any provider (${reasons})`);
}

/**
 * ORT lists CUDA on Linux/Windows even when its provider library was never
 * fetched (ONNXRUNTIME_NODE_INSTALL=cuda12). Trying it then only prints a red
 * "Failed to load library" line, so look for the library first.
 */
function installedBackends(): { name: string; bundled: boolean }[] {
  const binDir = join(
    dirname(createRequire(import.meta.url).resolve('onnxruntime-node')),
    '..', 'bin', 'napi-v6', process.platform, process.arch,
  );
  const cudaLib = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  return ort.listSupportedBackends().map((backend) =>
    backend.name === 'cuda' ? { ...backend, bundled: existsSync(join(binDir, cudaLib)) } : backend,
  );
}

function wrap(session: ort.InferenceSession, execution: ExecutionInfo): EngineSession {
  return {
    execution,
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(inputs) {
      const feeds: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(inputs)) {
        feeds[name] = new ort.Tensor('float32', t.data, [...t.dims]);
      }
      const results = await session.run(feeds);
      const out: Record<string, FloatTensor> = {};
      for (const [name, t] of Object.entries(results)) {
        if (!(t.data instanceof Float32Array)) {
          throw new Error(`Output "${name}" is ${t.type}, expected float32`);
        }
        out[name] = { data: t.data, dims: t.dims };
      }
      return out;
    },
    release: () => session.release(),
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] ?? error.name : String(error);
}
