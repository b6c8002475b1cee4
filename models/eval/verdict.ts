/**
 * The package's verdict on its quality targets, as recorded in manifest.evaluation: which metrics
 * meet their targets (reference-relative targets against this run's reference values) and whether
 * all of the model's rows do. The engine's quality-bar content tests read it per metric.
 */
import { meetsTarget, METRICS, type MetricKey } from './metric-table';
import { referenceOf } from './report';
import type { EvalRun } from './run-eval';

export interface EvaluationRecord {
  readonly report: string;
  readonly engine: 'typescript';
  readonly scenes: number;
  readonly meetsTargets: boolean;
  readonly metrics: Partial<Record<MetricKey, number>>;
  readonly passed: Partial<Record<MetricKey, boolean>>;
}

export function evaluationRecord(run: EvalRun, report: string): EvaluationRecord {
  const metrics: Partial<Record<MetricKey, number>> = {};
  const passed: Partial<Record<MetricKey, boolean>> = {};
  for (const m of METRICS) {
    const s = run.summary[m.key];
    if (!s) continue;
    metrics[m.key] = Number(s.mean.toFixed(4));
    if (m.auxiliary) continue;
    const ok = meetsTarget(m, s.mean, referenceOf(run, m));
    if (ok !== undefined) passed[m.key] = ok;
  }
  const verdicts = Object.values(passed);
  return { report, engine: 'typescript', scenes: run.scenes.length, meetsTargets: verdicts.length > 0 && verdicts.every(Boolean), metrics, passed };
}
