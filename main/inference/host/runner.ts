/** Cancellation shared by the host's runners: the engine checks the signal between steps. */
export class JobCancelledError extends Error {
  override name = 'JobCancelledError';
}

export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new JobCancelledError('The job was cancelled');
}
