/**
 * `4m eval`: the held-out evaluation (models/eval) on the loaded model, its
 * report written as markdown (default <model dir>/EVAL.md).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { EngineModel } from '../engine/generate';
import { HeldoutError, readHeldoutIndex, renderReport, runEvaluation, runtimeLabel, METRICS } from '../eval';
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
  const argv = ['npm run eval --', `--model ${cmd.model}`, `--scenes ${cmd.scenes}`, ...(cmd.n ? [`--n ${cmd.n}`] : []), ...(cmd.out ? [`--out ${cmd.out}`] : [])];
  const report = renderReport(run, { scenesLabel: relative(process.cwd(), scenes) || '.', runtime: runtimeLabel(), command: argv.join(' ') });
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, report);
  for (const m of METRICS) {
    const s = run.summary[m.key];
    if (s) log(`${m.label}: ${m.format(s.mean)}`);
  }
  log(`evaluated ${run.scenes.length} scenes in ${run.seconds.toFixed(0)} s → ${out}`);
}
