// The words beside a running job's progress bar. Before the host's first step report the total is
// unknown (0): "starting…" and a moving bar, not "step 0/1", which read as a one-step job stuck.
// Several variations run side by side through the same steps: the count is said, so four pictures
// taking longer than one (and all arriving at once) is expected, not a stall.

export function stepText(progress: { readonly done: number; readonly total: number; readonly variations?: number }): string {
  const steps = progress.total > 0 ? `step ${progress.done}/${progress.total}` : 'starting…';
  return (progress.variations ?? 1) > 1 ? `${steps} · ${progress.variations} variations` : steps;
}
