/**
 * One ONNX graph opened on the best execution provider that works, with the
 * typed feeds this engine needs (float32, int64, bool) and input validation.
 * Builds on ../providers.ts (EP order cuda → dml → coreml → cpu); every
 * provider that was skipped or failed is kept with its reason for the report.
 */
import * as ort from 'onnxruntime-node';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { fileKind } from '../../registry/read-text';
import { planProviders, type ProviderName, type SkippedProvider } from '../providers';
import { installedBackends } from './backends';
import { checkFeeds, type DeclaredInput } from './input-check';
import type { TensorData } from './tensors';

export interface RuntimeOptions {
  /** Provider order to try; defaults to cuda → dml → coreml → cpu. */
  readonly providers?: readonly ProviderName[];
  /** intra-op threads; defaults to the machine's core count. */
  readonly intraOpThreads?: number;
  /**
   * Let idle pool threads spin (ORT's default). Off by default: our graphs are
   * many small ops, and on a busy machine (the app's UI, a training job) spinning
   * threads steal the cores the work needs — measured 2× slower on 2 shared cores.
   */
  readonly spinning?: boolean;
}

export interface ProviderReport {
  readonly provider: ProviderName;
  readonly skipped: readonly SkippedProvider[];
}

export class GraphLoadError extends Error {
  override name = 'GraphLoadError';
}

export class GraphSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly file: string,
    readonly report: ProviderReport,
    readonly inputs: readonly DeclaredInput[],
  ) {}

  static async open(file: string, options: RuntimeOptions = {}): Promise<GraphSession> {
    // Said plainly, not as every provider failing in turn: a graph opened on first use can be
    // gone because the model's folder was removed (Models → Remove) while the model was open.
    const info = await stat(file).catch(() => undefined);
    if (!info) throw new GraphLoadError(`${file}: the file is missing (was the model's folder moved or removed while the model was open? open the model again)`);
    // onnxruntime opening a FIFO waits for a writer forever, in a thread that keeps the process alive.
    if (!info.isFile()) throw new GraphLoadError(`${file}: is ${fileKind(info)}, expected an ONNX graph file`);
    const plan = planProviders(process.platform, installedBackends(), options.providers);
    const skipped: SkippedProvider[] = [...plan.skipped];
    const threads = options.intraOpThreads ?? availableParallelism();
    for (const provider of plan.candidates) {
      try {
        const session = await ort.InferenceSession.create(file, {
          executionProviders: [provider],
          graphOptimizationLevel: 'all',
          intraOpNumThreads: threads,
          interOpNumThreads: 1,
          executionMode: 'sequential',
          extra: { session: { intra_op: { allow_spinning: options.spinning ? '1' : '0' } } },
          ...(provider === 'cpu' ? {} : { logSeverityLevel: 4 as const }),
        });
        return new GraphSession(session, file, { provider, skipped }, declaredInputs(session));
      } catch (error) {
        skipped.push({ provider, reason: `session failed: ${firstLine(error)}` });
      }
    }
    throw new GraphLoadError(`${file}: no execution provider could open it (${skipped.map((s) => `${s.provider}: ${s.reason}`).join('; ')})`);
  }

  /** Calls and wall time spent in run(), for the benchmark's breakdown. */
  readonly timing = { calls: 0, ms: 0 };

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  async run(feeds: Readonly<Record<string, TensorData>>): Promise<Record<string, TensorData>> {
    checkFeeds(basename(this.file), this.inputs, feeds);
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor(t.type, t.data, [...t.dims]);
    const t0 = performance.now();
    const results = await this.session.run(ortFeeds);
    this.timing.calls++;
    this.timing.ms += performance.now() - t0;
    const out: Record<string, TensorData> = {};
    for (const [name, t] of Object.entries(results)) out[name] = fromOrt(t, `${basename(this.file)} output "${name}"`);
    return out;
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

function declaredInputs(session: ort.InferenceSession): DeclaredInput[] {
  return session.inputMetadata.map((m) =>
    m.isTensor ? { name: m.name, type: m.type, shape: [...m.shape] } : { name: m.name, type: 'non-tensor', shape: [] },
  );
}

function fromOrt(t: ort.Tensor, what: string): TensorData {
  const dims = [...t.dims];
  if (t.data instanceof Float32Array) return { type: 'float32', data: t.data, dims };
  if (t.data instanceof BigInt64Array) return { type: 'int64', data: t.data, dims };
  if (t.type === 'bool' && t.data instanceof Uint8Array) return { type: 'bool', data: t.data, dims };
  throw new Error(`${what} is ${t.type}, which the engine does not read`);
}

function firstLine(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
}
