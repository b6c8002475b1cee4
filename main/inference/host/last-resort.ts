/**
 * The host's last resort for a promise rejection nobody awaited. Node's default ends the process,
 * which would fail every queued job for one stray release or status promise; the boundaries refuse
 * bad input before it gets this far, so anything reaching here is a bug to log, not a reason to
 * die. Uncaught synchronous exceptions keep Node's default (state may be torn; the supervisor
 * restarts the host and says why).
 */
export function logUnhandledRejections(target: Pick<NodeJS.Process, 'on'>, write: (line: string) => void): void {
  target.on('unhandledRejection', (reason: unknown) => {
    const text = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
    write(`inference host: a promise rejection nobody handled (kept running): ${text}\n`);
  });
}
