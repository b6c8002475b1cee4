import { AvailableModel, FromHost, JobId, MAX_QUEUED_JOBS, ToHost, parseMessage, type JobError, type JobRequest } from '../../../preload/contract/jobs';
import type { GenerationPreview } from '../../../preload/contract/generation-jobs';
import { PROTOCOL_VERSION } from '../../../preload/contract/versions';
import type { HostBackend } from './backend';
import { ProgressThrottle } from './progress-throttle';
import { JobCancelledError } from './runner';

/** A bidirectional message pipe: MessagePort (Electron) or process IPC (Node). */
export interface HostLink {
  send(message: FromHost): void;
  onMessage(listener: (data: unknown) => void): void;
}

type QueuedWork =
  | { kind: 'job'; id: string; request: JobRequest; abort: AbortController }
  | { kind: 'open-model'; modelId: string };

/**
 * The inference host's message loop: validates every incoming message, runs jobs and model
 * switches one at a time in arrival order (one model, one accelerator), streams progress,
 * turns every failure into a typed error message, and announces the model's status in
 * 'ready' at start and whenever it changes.
 */
export function serveHost(link: HostLink, backend: HostBackend): void {
  const queue: QueuedWork[] = [];
  let running: QueuedWork | undefined;

  const send = (message: FromHost): void => link.send(FromHost.parse(message));
  const announce = (): void => {
    const { model, available } = backend.status();
    const listed = available.filter((a) => AvailableModel.safeParse(a).success);
    const ready = FromHost.safeParse({ type: 'ready', protocol: PROTOCOL_VERSION, model, available: listed });
    if (ready.success) return link.send(ready.data);
    // A model folder can describe itself past the contract's bounds (a 4480 px canvas, a 300-layer
    // list): say so as a failed model, naming the field, instead of throwing out of the model's open.
    const issue = ready.error.issues[0];
    const why = issue ? `${issue.path.join('.') || 'status'}: ${issue.message}` : 'invalid status';
    const modelId = typeof model.modelId === 'string' && model.modelId.length > 0 && model.modelId.length <= 256 ? model.modelId : null;
    send({ type: 'ready', protocol: PROTOCOL_VERSION, model: { state: 'failed', modelId, message: `Model "${modelId ?? '?'}" describes itself in a way the editor cannot use (${why})` }, available: listed });
  };
  backend.onChange(announce);

  link.onMessage((data) => {
    // Whatever a page sends, nothing may throw out of here: in Electron an exception in this
    // listener ends the host process, and with it every queued job.
    try {
      receive(data);
    } catch (error) {
      process.stderr.write(`inference host: dropped a message it could not handle: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  });

  function receive(data: unknown): void {
    let message: ToHost;
    try {
      message = parseMessage(ToHost, data, 'renderer -> host');
    } catch (error) {
      const id = idOf(data);
      if (id) send({ type: 'error', id, error: toJobError(error, 'invalid-request') });
      return;
    }
    if (message.type === 'cancel') {
      const job = [running, ...queue].find((w) => w?.kind === 'job' && w.id === message.id);
      if (job?.kind === 'job') job.abort.abort();
      return;
    }
    if (message.type === 'open-model') {
      // Only the latest switch matters: a flood of them queues one, not thousands.
      const earlier = queue.findIndex((w) => w.kind === 'open-model');
      if (earlier >= 0) queue.splice(earlier, 1);
      queue.push({ kind: 'open-model', modelId: message.modelId });
      void pump();
      return;
    }
    if (queue.filter((w) => w.kind === 'job').length + (running?.kind === 'job' ? 1 : 0) >= MAX_QUEUED_JOBS) {
      const error = { name: 'BusyError', message: `The inference host already has ${MAX_QUEUED_JOBS} jobs waiting; wait for some to finish, then try again`, kind: 'busy' as const };
      send({ type: 'error', id: message.id, error });
      return;
    }
    queue.push({ kind: 'job', id: message.id, request: message.request, abort: new AbortController() });
    void pump();
  }

  async function pump(): Promise<void> {
    if (running) return;
    while ((running = queue.shift())) {
      const work = running;
      if (work.kind === 'open-model') {
        await backend.open(work.modelId); // the outcome is announced through the status
        continue;
      }
      const started = performance.now();
      const throttle = new ProgressThrottle();
      try {
        const context = {
          signal: work.abort.signal,
          progress: (variation: number, done: number, total: number, preview?: GenerationPreview) => {
            if (throttle.allow(done, total, preview !== undefined)) send({ type: 'generation-progress', id: work.id, variation, done, total, ...(preview ? { preview } : {}) });
          },
        };
        const { request } = work;
        let variations;
        if (request.kind === 'upscale') {
          if (!backend.upscale) throw new Error('This inference host cannot upscale (no super-resolution support in its backend)');
          variations = await backend.upscale(request, context);
        } else {
          variations = await backend.generate(request, context);
        }
        send({ type: 'generation-result', id: work.id, variations, elapsedMs: performance.now() - started });
      } catch (error) {
        const kind = error instanceof JobCancelledError ? 'cancelled' : 'inference';
        send({ type: 'error', id: work.id, error: toJobError(error, kind) });
      }
    }
    running = undefined;
  }

  announce();
}

/** The id to answer an invalid message with: only one the contract allows (else the answer itself would be invalid). */
function idOf(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || !('id' in data)) return undefined;
  const id = JobId.safeParse(data.id);
  return id.success ? id.data : undefined;
}

export function toJobError(error: unknown, kind: JobError['kind']): JobError {
  if (error instanceof Error) return { name: error.name, message: error.message, kind };
  return { name: 'Error', message: String(error), kind };
}
