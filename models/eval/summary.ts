/** Per-scene scores → one mean (and its standard error) per metric. Pure. */
import { METRIC_KEYS, type MetricKey } from './metric-table';

export type Scores = Partial<Record<MetricKey, number[]>>;

export interface MetricSummary {
  readonly mean: number;
  /** Standard error of the mean (sample std / √count); 0 for a single value. */
  readonly stdErr: number;
  readonly count: number;
}

export function mergeScores(into: Scores, more: Scores): Scores {
  for (const k of METRIC_KEYS) {
    const v = more[k];
    if (v) (into[k] ??= []).push(...v);
  }
  return into;
}

export function summarize(scores: Scores): Partial<Record<MetricKey, MetricSummary>> {
  const out: Partial<Record<MetricKey, MetricSummary>> = {};
  for (const k of METRIC_KEYS) {
    const v = scores[k];
    if (v && v.length > 0) out[k] = describe(v);
  }
  return out;
}

export function describe(values: readonly number[]): MetricSummary {
  const n = values.length;
  if (n === 0) throw new RangeError('no values');
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, stdErr: 0, count: 1 };
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, stdErr: Math.sqrt(variance / n), count: n };
}
