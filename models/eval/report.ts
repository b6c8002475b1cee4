/** An evaluation run → the EVAL.md markdown (same rows and targets as the recipe's PyTorch report). Pure. */
import { meetsTarget, METRICS } from './metric-table';
import type { EvalRun } from './run-eval';

export interface ReportContext {
  /** How the scene folder is named in the report (e.g. relative to the repository). */
  readonly scenesLabel: string;
  /** e.g. "onnxruntime-node 1.30.0". */
  readonly runtime: string;
  /** The command that reproduces the report. */
  readonly command: string;
}

export function renderReport(run: EvalRun, ctx: ReportContext): string {
  const n = run.scenes.length;
  const first = run.scenes[0]?.seed ?? run.index.seedBase;
  const last = run.scenes[n - 1]?.seed ?? first;
  const skipped = run.provider.skipped.map((s) => `${s.provider}: ${s.reason}`).join('; ');
  const verdicts = METRICS.map((m) => {
    const s = run.summary[m.key];
    return s === undefined ? undefined : meetsTarget(m, s.mean);
  }).filter((v): v is boolean => v !== undefined);
  const lines = [
    `# EVAL — ${run.modelId}`,
    '',
    `Held-out scenes: ${n} (${run.index.split} split, seeds ${grouped(first)}–${grouped(last)}; never trained on), read from \`${ctx.scenesLabel}\`.`,
    `Path: the TypeScript engine (\`${ctx.command}\`): the package's ONNX graphs on ${ctx.runtime}, ${run.provider.provider} execution provider${skipped ? ` (skipped: ${skipped})` : ''}, ${run.cores} CPU cores.`,
    run.trainingSummary ? `Model: FM trained for ${run.trainingSummary}` : `Model: FM trained for ${run.trainingSteps} steps (manifest.trainingSteps).`,
    `Evaluation took ${run.seconds.toFixed(0)} s (${(run.seconds / Math.max(1, n)).toFixed(1)} s a scene).`,
    '',
    '| metric | value | ± s.e. | target | met |',
    '|---|---|---|---|---|',
  ];
  for (const m of METRICS) {
    const s = run.summary[m.key];
    if (!s) continue;
    const met = meetsTarget(m, s.mean);
    lines.push(`| ${m.label}${m.sampled ? ' *' : ''} | ${m.format(s.mean)} | ${m.format(s.stdErr)} | ${m.target?.text ?? '—'} | ${met === undefined ? '—' : met ? 'yes' : 'no'} |`);
  }
  lines.push(
    '',
    `Meets all targets: ${verdicts.length > 0 && verdicts.every(Boolean) ? 'yes' : 'no'} (${verdicts.filter(Boolean).length} of ${verdicts.length}).`,
    '',
    'How to read these numbers next to the recipe\'s PyTorch evaluation (`python -m fourm_recipe.fm.evaluate`), which uses the same scenes, tasks and settings:',
    '',
    '- Rows without * involve no sampling (tokenizer round trips, greedy one-step RGB→X, greedy RGB→caption). They differ from PyTorch only by numerics: the shipped graphs hold float16-rounded weights and run on ONNX Runtime, and the engine tokenizes the scene files itself. Expect agreement to about the last digit shown, with rare flips of near-tied greedy tokens.',
    '- Rows marked * sample (ROAR order and tokens at temperature 0.7, guidance 2, seed = scene position). The engine\'s random generator is not PyTorch\'s, so the same seed draws different images; those rows agree with PyTorch only within sampling noise (about 2 s.e.).',
    '- caption→RGB counts one verdict per object the caption names; the other rows average per scene. Its guidance also differs by design: the engine unconditions a caption to a lone sentinel (4M\'s convention), the recipe drops it.',
    '- caption→RGB judges each named object by pixel votes: at least 20 pixels of its kind (in the model\'s own RGB→semseg of the result) must be named its colour. The judge row applies the same judge to the scene\'s own picture (through the RGB tokenizer) with its caption: no generated image can be expected to score above it, so while RGB→semseg is weak the 80 % target is out of reach for the judge, not only for the generator.',
    '',
  );
  return lines.join('\n');
}

function grouped(v: number): string {
  return v.toLocaleString('en-US');
}
