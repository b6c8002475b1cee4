// The Generate panel's "Makes:" line. Pure.

/**
 * What the next job makes, in chain order ("Makes: Semantic segmentation → RGB"), or that nothing
 * is set to generate yet. The way to start ("Pick a task above…") is the prompt bar's warning,
 * beside the tasks and Generate; the panel saying it too put the same sentence twice on the first screen.
 */
export function makesText(targets: readonly string[], label: (id: string) => string): string {
  return targets.length ? `Makes: ${targets.map(label).join(' → ')}` : 'Makes: nothing yet (no layer is set to generate)';
}
