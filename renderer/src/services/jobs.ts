import {
  FromHost,
  parseMessage,
  type ExecutionReport,
  type JobError,
  type JobRequestInput,
  type Raster,
} from '../../../preload/contract/jobs';
import { PROTOCOL_VERSION } from '../../../preload/contract/versions';
import type { InferenceTransport } from './studio';

export class JobFailedError extends Error {
  override name = 'JobFailedError';
  constructor(readonly detail: JobError) {
    super(detail.message);
  }
}

export interface JobHandlers {
  onProgress?(step: number, total: number, preview?: Raster): void;
}

export interface HostStatus {
  state: 'starting' | 'ready' | 'restarting' | 'down';
  execution?: ExecutionReport;
  message?: string;
}

interface Pending extends JobHandlers {
  resolve(output: Raster): void;
  reject(error: JobFailedError): void;
}

/**
 * Job bookkeeping on the renderer side: ids, progress routing, and the crash
 * rule: when the host dies every pending job fails with a message that says
 * what happened and that the document is unchanged.
 */
export class JobClient {
  #pending = new Map<string, Pending>();
  #next = 1;

  constructor(
    private readonly transport: InferenceTransport,
    private readonly onStatus: (status: HostStatus) => void,
  ) {
    transport.subscribe((data) => this.#receive(data));
  }

  run(request: JobRequestInput, handlers: JobHandlers = {}): Promise<Raster> {
    const id = `job-${this.#next++}`;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { ...handlers, resolve, reject });
      this.transport.send({ type: 'job', id, request });
    });
  }

  #receive(data: unknown): void {
    let message: FromHost;
    try {
      message = parseMessage(FromHost, data, 'host -> renderer');
    } catch (error) {
      this.onStatus({ state: 'down', message: `Protocol error: ${(error as Error).message}. Expected protocol ${PROTOCOL_VERSION}.` });
      return;
    }
    switch (message.type) {
      case 'ready':
        this.onStatus({ state: 'ready', execution: message.execution });
        return;
      case 'host-exited': {
        const text = `${capitalise(message.reason)} while this job was running. ${
          message.restarting ? 'It is restarting; try again.' : 'It could not be restarted.'
        } Your document is unchanged.`;
        for (const [id, job] of this.#pending) {
          this.#pending.delete(id);
          job.reject(new JobFailedError({ name: 'HostExitedError', message: text, kind: 'host-exited' }));
        }
        this.onStatus({ state: message.restarting ? 'restarting' : 'down', message: message.reason });
        return;
      }
      case 'progress':
        this.#pending.get(message.id)?.onProgress?.(message.step, message.total, message.preview);
        return;
      case 'result':
        this.#settle(message.id)?.resolve(message.output);
        return;
      case 'error':
        this.#settle(message.id)?.reject(new JobFailedError(message.error));
        return;
    }
  }

  #settle(id: string): Pending | undefined {
    const job = this.#pending.get(id);
    this.#pending.delete(id);
    return job;
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
