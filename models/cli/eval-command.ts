/**
 * `4m eval`: the held-out evaluation (models/eval) on the loaded model, its
 * report written as markdown (default <model dir>/EVAL.md).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { EngineModel } from '../engine/generate';
import { evaluationRecord, HeldoutError, readHeldoutIndex, renderReport, runEvaluation, runtimeLabel, METRICS, type EvalRun } from '../eval';
import type { EvalCommand } from './args';
import { UsageError } from './errors';

export async function runEval(model: EngineModel, cmd: EvalCommand, log: (line: string) => void): Promise<void> {
  const scenes = resolve(cmd.scenes);
  const out = resolve(cmd.out ?? join(model.pkg.root, 'EVAL.md'));
  // A bad scene folder or count is an argument error (exit 2), like a bad --in file.
  const index = await readHeldoutIndex(scenes).catch((error: unknown) => {
    throw error instanceof HeldoutError ? new UsageError(`--scenes: ${error.message}`) : error;
  });
  if (cmd.n !== undefined && cmd.n > index.scenes.length) throw new UsageError(`--n ${cmd.n}: ${cmd.scenes} holds ${index.scenes.length} scenes`);
  const run = await runEvaluation(model, scenes, {
    n: cmd.n,
    onScene: cmd.quiet ? undefined : (done, total, name, s) => process.stderr.write(`\rscene ${name}: ${done}/${total} (${s.toFixed(1)} s)   `),
  });
  if (!cmd.quiet) process.stderr.write('\n');
  const argv = ['npm run eval --', `--model ${cmd.model}`, `--scenes ${cmd.scenes}`, ...(cmd.n ? [`--n ${cmd.n}`] : []), ...(cmd.out ? [`--out ${cmd.out}`] : []), ...(cmd.record ? ['--record'] : [])];
  const report = renderReport(run, { scenesLabel: relative(process.cwd(), scenes) || '.', runtime: runtimeLabel(), command: argv.join(' ') });
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, report);
  for (const m of METRICS) {
    const s = run.summary[m.key];
    if (s) log(`${m.label}: ${m.format(s.mean)}`);
  }
  log(`evaluated ${run.scenes.length} scenes in ${run.seconds.toFixed(0)} s → ${out}`);
  if (cmd.record) {
    const manifestPath = join(model.pkg.root, 'manifest.json');
    const record = await recordVerdict(manifestPath, run, dirname(out) === model.pkg.root ? basename(out) : out);
    log(`recorded in ${manifestPath}: meets all targets ${record.meetsTargets ? 'yes' : 'no'}`);
  }
}

/** manifest.evaluation ← this run's verdicts; every other field is kept as written (temp file, then rename). */
async function recordVerdict(manifestPath: string, run: EvalRun, report: string) {
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Record<string, unknown>;
  const record = evaluationRecord(run, report);
  manifest.evaluation = record;
  const tmp = `${manifestPath}.tmp`;
  await writeFile(tmp, JSON.stringify(manifest, null, 1));
  await rename(tmp, manifestPath);
  return record;
}
