// The words beside a running job's progress bar. Before the host's first step report the total is
// unknown (0): "starting…" and a moving bar, not "step 0/1", which read as a one-step job stuck.

export function stepText(progress: { readonly done: number; readonly total: number }): string {
  return progress.total > 0 ? `step ${progress.done}/${progress.total}` : 'starting…';
}
