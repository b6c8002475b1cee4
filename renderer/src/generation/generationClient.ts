// Runs 'generate' jobs over the inference transport: ids, step previews, results, cancel,
// and the crash rule (the host died → the job fails, the document is untouched).
import { z } from 'zod';
import { GenerationProgressMessage, GenerationResultMessage, type GenerateJobRequest, type GenerationPreview, type GenerationVariation, type UpscaleJobRequest } from '../../../preload/contract/generation-jobs';
import { JobError } from '../../../preload/contract/jobs';
import type { InferenceTransport } from '../services/studio';
import { capitalized } from '../state/wording';

/** What a job says when the page lost its connection to the inference host mid-job. */
export const CONNECTION_LOST =
  'The connection to the inference host was lost while this job was running. Your document is unchanged; try again when the badge says ready.';

export class GenerationFailedError extends Error {
  override readonly name = 'GenerationFailedError';
  constructor(
    message: string,
    readonly kind: string,
  ) {
    super(message);
  }
}

export interface ProgressEvent {
  readonly variation: number;
  readonly done: number;
  readonly total: number;
  readonly preview?: GenerationPreview;
}

export interface RunningGeneration {
  readonly id: string;
  readonly result: Promise<GenerationVariation[]>;
  cancel(): void;
}

const ErrorMessage = z.object({ type: z.literal('error'), id: z.string(), error: JobError });
const HostExited = z.object({ type: z.literal('host-exited'), reason: z.string(), restarting: z.boolean() });

interface Pending {
  onProgress(event: ProgressEvent): void;
  resolve(variations: GenerationVariation[]): void;
  reject(error: GenerationFailedError): void;
}

export class GenerationClient {
  readonly #pending = new Map<string, Pending>();
  #next = 1;

  constructor(private readonly transport: InferenceTransport) {
    transport.subscribe((data) => this.#receive(data));
    transport.onConnection?.((connected) => {
      if (!connected) this.#failAll(CONNECTION_LOST, 'disconnected');
    });
  }

  run(job: Omit<GenerateJobRequest, 'kind'>, onProgress: (event: ProgressEvent) => void): RunningGeneration {
    return this.#send({ kind: 'generate', request: job.request, images: job.images }, onProgress);
  }

  /** An 'upscale' job (a 224 px result ×2 with 4M's SR model): the same progress, result and errors as generate. */
  upscale(job: UpscaleJobRequest, onProgress: (event: ProgressEvent) => void): RunningGeneration {
    return this.#send(job, onProgress);
  }

  #send(request: GenerateJobRequest | UpscaleJobRequest, onProgress: (event: ProgressEvent) => void): RunningGeneration {
    // Distinct from the foundation's "job-N" ids: both clients share one transport.
    const id = `${request.kind === 'upscale' ? 'up' : 'gen'}-${Date.now().toString(36)}-${this.#next++}`;
    const result = new Promise<GenerationVariation[]>((resolve, reject) => {
      this.#pending.set(id, { onProgress, resolve, reject });
      this.transport.send({ type: 'job', id, request });
    });
    return { id, result, cancel: () => this.transport.send({ type: 'cancel', id }) };
  }

  #receive(data: unknown): void {
    const type = typeof data === 'object' && data !== null && 'type' in data ? data.type : undefined;
    if (type === 'generation-progress') {
      const m = GenerationProgressMessage.safeParse(data);
      if (m.success) this.#pending.get(m.data.id)?.onProgress({ variation: m.data.variation, done: m.data.done, total: m.data.total, ...(m.data.preview ? { preview: m.data.preview } : {}) });
    } else if (type === 'generation-result') {
      const m = GenerationResultMessage.safeParse(data);
      if (m.success) this.#settle(m.data.id)?.resolve(m.data.variations);
      else this.#failAll(`The inference host sent a result this app cannot read: ${m.error.issues[0]?.message ?? 'invalid'}`, 'internal');
    } else if (type === 'error') {
      const m = ErrorMessage.safeParse(data);
      if (m.success) this.#settle(m.data.id)?.reject(new GenerationFailedError(m.data.error.message, m.data.error.kind));
    } else if (type === 'host-exited') {
      const m = HostExited.safeParse(data);
      if (m.success) {
        this.#failAll(`${capitalized(m.data.reason)} during generation. ${m.data.restarting ? 'It is restarting; try again.' : 'It could not be restarted.'} Your document is unchanged.`, 'host-exited');
      }
    }
  }

  #failAll(message: string, kind: string): void {
    for (const [id, job] of this.#pending) {
      this.#pending.delete(id);
      job.reject(new GenerationFailedError(message, kind));
    }
  }

  #settle(id: string): Pending | undefined {
    const job = this.#pending.get(id);
    this.#pending.delete(id);
    return job;
  }
}
