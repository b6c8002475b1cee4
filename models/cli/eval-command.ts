/**
 * `4m eval`: the held-out evaluation (models/eval) on the loaded model, read by the independent
 * judge; its report written as markdown (default <model dir>/EVAL.md) with picture grids in eval/
 * beside it.
 */
import { rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { EngineModel } from '../engine/generate';
import { makeFolder } from '../registry/make-folder';
import { readTextFile } from '../registry/read-text';
import { evaluationRecord, HeldoutError, Judge, readHeldoutIndex, renderReport, runEvaluation, runtimeLabel, writeGrid, METRICS, type EvalRun } from '../eval';
import type { EvalCommand } from './args';
import { UsageError } from './errors';

/** Scenes per picture grid. */
const GRID_SCENES = 8;

const GRIDS = [
  { key: 'sem2rgb', file: 'sem2rgb.png', title: 'semseg → RGB' },
  { key: 'cap2rgb', file: 'cap2rgb.png', title: 'caption → RGB' },
  { key: 'box2rgb', file: 'box2rgb.png', title: 'boxes → RGB' },
  { key: 'inpaint', file: 'inpaint.png', title: 'masked regeneration (50 % of the RGB tokens kept)' },
] as const;

export async function runEval(model: EngineModel, cmd: EvalCommand, log: (line: string) => void): Promise<void> {
  const scenes = resolve(cmd.scenes);
  const out = resolve(cmd.out ?? join(model.pkg.root, 'EVAL.md'));
  // A bad scene folder or count is an argument error (exit 2), like a bad --in file.
  const index = await readHeldoutIndex(scenes).catch((error: unknown) => {
    throw error instanceof HeldoutError ? new UsageError(`--scenes: ${error.message}`) : error;
  });
  if (cmd.n !== undefined && cmd.n > index.scenes.length) throw new UsageError(`--n ${cmd.n}: ${cmd.scenes} holds ${index.scenes.length} scenes`);
  const judge = await Judge.open(cmd.judge ? resolve(cmd.judge) : undefined).catch((error: unknown) => {
    throw new UsageError(`--judge: ${error instanceof Error ? error.message : String(error)}`);
  });
  let run: EvalRun;
  try {
    run = await runEvaluation(model, judge, scenes, {
      n: cmd.n,
      pictures: GRID_SCENES,
      sampling: cmd.sampling,
      onScene: cmd.quiet ? undefined : (done, total, name, s) => process.stderr.write(`\rscene ${name}: ${done}/${total} (${s.toFixed(1)} s)   `),
    });
  } finally {
    await judge.release();
  }
  if (!cmd.quiet) process.stderr.write('\n');

  const grids = [];
  for (const g of GRIDS) {
    const columns = run.scenes.flatMap((s) => (s.pictures ? [s.pictures[g.key]] : []));
    if (columns.length === 0) continue;
    await writeGrid(join(dirname(out), 'eval', g.file), g.title, columns);
    grids.push({ title: g.title, path: `eval/${g.file}`, note: g.key === 'cap2rgb' ? captionNote(run) : undefined });
  }
  const argv = ['npm run eval --', `--model ${cmd.model}`, `--scenes ${cmd.scenes}`, ...(cmd.n ? [`--n ${cmd.n}`] : []), ...(cmd.out ? [`--out ${cmd.out}`] : []), ...(cmd.judge ? [`--judge ${cmd.judge}`] : []), ...(cmd.record ? ['--record'] : []), ...samplingFlags(cmd.sampling)];
  const report = renderReport(run, { scenesLabel: relative(process.cwd(), scenes) || '.', runtime: runtimeLabel(), command: argv.join(' '), grids });
  await makeFolder(dirname(out));
  await writeFile(out, report);
  for (const m of METRICS) {
    const s = run.summary[m.key];
    if (s) log(`${m.label}: ${m.format(s.mean)}`);
  }
  log(`evaluated ${run.scenes.length} scenes in ${run.seconds.toFixed(0)} s → ${out} (grids in ${join(dirname(out), 'eval')})`);
  if (cmd.record) {
    const manifestPath = join(model.pkg.root, 'manifest.json');
    const record = await recordVerdict(manifestPath, run, dirname(out) === model.pkg.root ? basename(out) : out);
    log(`recorded in ${manifestPath}: meets all targets ${record.meetsTargets ? 'yes' : 'no'}`);
  }
}

/** The sweep flags a run was given, to repeat it from the report. */
function samplingFlags(o: EvalCommand['sampling']): string[] {
  const flags: [string, unknown][] = [['--scheme', o.scheme], ['--steps', o.steps], ['--temp', o.temperature], ['--temp-schedule', o.temperatureSchedule], ['--token-schedule', o.tokenSchedule], ['--cfg', o.cfgScale], ['--top-p', o.topP], ['--token-choice', o.tokenChoice], ['--smoothing', o.neighbourAgreement]];
  return flags.filter(([, v]) => v !== undefined).map(([f, v]) => `${f} ${String(v)}`);
}

function captionNote(run: EvalRun): string {
  return run.scenes
    .filter((s) => s.pictures)
    .map((s, i) => `${i + 1}. ${typeof s.pictures?.cap2rgb.condition === 'string' ? s.pictures.cap2rgb.condition : ''}`)
    .join('\n');
}

/** manifest.evaluation ← this run's verdicts; every other field is kept as written (temp file, then rename). */
async function recordVerdict(manifestPath: string, run: EvalRun, report: string) {
  const manifest = JSON.parse(await readTextFile(manifestPath)) as Record<string, unknown>;
  const record = evaluationRecord(run, report);
  manifest.evaluation = record;
  const tmp = `${manifestPath}.tmp`;
  await writeFile(tmp, JSON.stringify(manifest, null, 1));
  await rename(tmp, manifestPath);
  return record;
}
