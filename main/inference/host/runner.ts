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

export type RasterJobKind = Exclude<JobRequest['kind'], 'generate'>;

export type JobRunner<K extends RasterJobKind = RasterJobKind> = (
  request: Extract<JobRequest, { kind: K }>,
  context: JobContext,
) => Promise<Raster>;

/** Raster jobs; 'generate' has its own runner (generate-runner.ts) with per-modality results. */
export type JobRunners = { [K in RasterJobKind]: JobRunner<K> };

export class JobCancelledError extends Error {
  override name = 'JobCancelledError';
}

export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new JobCancelledError('The job was cancelled');
}
