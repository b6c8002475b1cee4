import type { JobRequest, Raster } from '../../../preload/contract/jobs';

/**
 * The seam where inference plugs into the host. A runner gets a validated
 * request and a context; it reports progress and returns the output raster.
 * The 4M engine will add a runner for `kind: 'generate'` next to the placeholder.
 */
export interface JobContext {
  /** Report step `step` of `total`, optionally with a preview raster. */
  progress(step: number, total: number, preview?: Raster): void;
  /** Aborted when the renderer cancels; runners check it between steps. */
  signal: AbortSignal;
}

export type JobRunner<K extends JobRequest['kind'] = JobRequest['kind']> = (
  request: Extract<JobRequest, { kind: K }>,
  context: JobContext,
) => Promise<Raster>;

export type JobRunners = { [K in JobRequest['kind']]: JobRunner<K> };

export class JobCancelledError extends Error {
  override name = 'JobCancelledError';
}

export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new JobCancelledError('The job was cancelled');
}
