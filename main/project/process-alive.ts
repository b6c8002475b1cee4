/** Whether a process with this pid still runs (EPERM: it runs, under another user). Used to tell a live
 *  holder of a lock or temp file from one a crashed process left behind. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
