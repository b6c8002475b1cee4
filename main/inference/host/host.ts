import {
  FromHost,
  ToHost,
  parseMessage,
  type ExecutionReport,
  type JobError,
  type JobRequest,
} from '../../../preload/contract/jobs';
import { PROTOCOL_VERSION } from '../../../preload/contract/versions';
import type { GenerateRunner } from './generate-runner';
import { JobCancelledError, type JobRunners } from './runner';

/** A bidirectional message pipe: MessagePort (Electron) or process IPC (Node). */
export interface HostLink {
  send(message: FromHost): void;
  onMessage(listener: (data: unknown) => void): void;
}

interface QueuedJob {
  id: string;
  request: JobRequest;
  abort: AbortController;
}

/**
 * The inference host's message loop: validates every incoming message, runs
 * jobs one at a time in arrival order (one model, one accelerator), streams
 * progress, and turns every failure into a typed error message.
 */
export function serveHost(link: HostLink, runners: JobRunners, execution: ExecutionReport, generateRunner?: GenerateRunner): void {
  const queue: QueuedJob[] = [];
  let running: QueuedJob | undefined;

  const send = (message: FromHost): void => link.send(FromHost.parse(message));

  link.onMessage((data) => {
    let message: ToHost;
    try {
      message = parseMessage(ToHost, data, 'renderer -> host');
    } catch (error) {
      const id = idOf(data);
      if (id) send({ type: 'error', id, error: toJobError(error, 'invalid-request') });
      return;
    }
    if (message.type === 'cancel') {
      const job = running?.id === message.id ? running : queue.find((j) => j.id === message.id);
      job?.abort.abort();
      return;
    }
    queue.push({ id: message.id, request: message.request, abort: new AbortController() });
    void pump();
  });

  async function pump(): Promise<void> {
    if (running) return;
    while ((running = queue.shift())) {
      const job = running;
      const started = performance.now();
      try {
        const request = job.request;
        if (request.kind === 'generate') {
          if (!generateRunner) throw new Error('This inference host has no 4M model to generate with');
          const variations = await generateRunner(request, {
            signal: job.abort.signal,
            progress: (variation, done, total, preview) =>
              send({ type: 'generation-progress', id: job.id, variation, done, total, ...(preview ? { preview } : {}) }),
          });
          send({ type: 'generation-result', id: job.id, variations, elapsedMs: performance.now() - started });
          continue;
        }
        const runner = runners[request.kind];
        const output = await runner(request, {
          signal: job.abort.signal,
          progress: (step, total, preview) =>
            send({ type: 'progress', id: job.id, step, total, ...(preview ? { preview } : {}) }),
        });
        send({ type: 'result', id: job.id, output, elapsedMs: performance.now() - started });
      } catch (error) {
        const kind = error instanceof JobCancelledError ? 'cancelled' : 'inference';
        send({ type: 'error', id: job.id, error: toJobError(error, kind) });
      }
    }
    running = undefined;
  }

  send({ type: 'ready', protocol: PROTOCOL_VERSION, execution });
}

function idOf(data: unknown): string | undefined {
  if (typeof data === 'object' && data !== null && 'id' in data && typeof data.id === 'string') {
    return data.id;
  }
  return undefined;
}

export function toJobError(error: unknown, kind: JobError['kind']): JobError {
  if (error instanceof Error) return { name: error.name, message: error.message, kind };
  return { name: 'Error', message: String(error), kind };
}
