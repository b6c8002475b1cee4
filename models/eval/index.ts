export { runEvaluation, type EvalOptions, type EvalRun, type SceneRecord } from './run-eval';
export { renderReport, referenceOf, type ReportContext } from './report';
export { readHeldoutIndex, loadHeldoutScene, HeldoutError, type HeldoutIndex, type HeldoutScene } from './heldout';
export { METRICS, METRIC_KEYS, meetsTarget, metricSpec, type MetricKey, type MetricSpec } from './metric-table';
export { runtimeLabel } from './runtime-info';
export { evaluationRecord, type EvaluationRecord } from './verdict';
export { Judge, DEFAULT_JUDGE_DIR, type JudgeInfo, type JudgeReading } from './judge';
export { writeGrid, type GridColumn } from './grids';
