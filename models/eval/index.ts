export { runEvaluation, type EvalOptions, type EvalRun, type SceneRecord } from './run-eval';
export { renderReport, type ReportContext } from './report';
export { readHeldoutIndex, loadHeldoutScene, HeldoutError, type HeldoutIndex, type HeldoutScene } from './heldout';
export { METRICS, METRIC_KEYS, meetsTarget, type MetricKey, type MetricSpec } from './metric-table';
export { runtimeLabel } from './runtime-info';
export { evaluationRecord, type EvaluationRecord } from './verdict';
