/** An evaluation run → the EVAL.md markdown: the metric table with real-picture references, the judge, the grids. Pure. */
import { describeImageSampling, PICTURE_SAMPLING, type ImageSampling } from '../../preload/contract/sampling-defaults';
import { INPAINT_STEPS } from './tasks';
import { meetsTarget, METRICS, type MetricKey, type MetricSpec } from './metric-table';
import type { EvalRun } from './run-eval';
import type { MetricSummary } from './summary';

export interface ReportContext {
  /** How the scene folder is named in the report (e.g. relative to the repository). */
  readonly scenesLabel: string;
  /** e.g. "onnxruntime-node 1.30.0". */
  readonly runtime: string;
  /** The command that reproduces the report. */
  readonly command: string;
  /** Picture grids written beside the report: title and path relative to it. */
  readonly grids?: readonly { readonly title: string; readonly path: string; readonly note?: string }[];
}

/** The value of a metric's reference in a run, when it has one. */
export function referenceOf(run: Pick<EvalRun, 'summary'>, spec: MetricSpec): number | undefined {
  return spec.reference ? run.summary[spec.reference]?.mean : undefined;
}

export function renderReport(run: EvalRun, ctx: ReportContext): string {
  const n = run.scenes.length;
  const first = run.scenes[0]?.seed ?? run.index.seedBase;
  const last = run.scenes[n - 1]?.seed ?? first;
  const skipped = run.provider.skipped.map((s) => `${s.provider}: ${s.reason}`).join('; ');
  const rows = METRICS.filter((m) => !m.auxiliary && run.summary[m.key]);
  const verdicts = rows.map((m) => meetsTarget(m, run.summary[m.key]?.mean as number, referenceOf(run, m))).filter((v): v is boolean => v !== undefined);
  const value = (key: MetricKey): string => {
    const s = run.summary[key];
    return s ? fmt(METRICS.find((m) => m.key === key) as MetricSpec, s) : '—';
  };
  const lines = [
    `# EVAL — ${run.modelId}`,
    '',
    `Held-out scenes: ${n} (${run.index.split} split, seeds ${grouped(first)}–${grouped(last)}; never trained on), read from \`${ctx.scenesLabel}\`.`,
    `Path: the TypeScript engine (\`${ctx.command}\`): the package's ONNX graphs on ${ctx.runtime}, ${run.provider.provider} execution provider${skipped ? ` (skipped: ${skipped})` : ''}, ${run.cores} CPU cores.`,
    run.trainingSummary ? `Model: FM trained for ${run.trainingSummary}` : `Model: FM trained for ${run.trainingSteps} steps (manifest.trainingSteps).`,
    `Generated pictures are read by an independent judge (\`models/eval/judge/\`, a U-Net trained on the world's pictures, never used by the app; on these scenes' real pictures: mIoU ${value('real_miou_band')} with the 1 px class border unscored, ${value('real_miou')} over all pixels; object-kind accuracy ${value('real_kind')}).`,
    `Evaluation took ${run.seconds.toFixed(0)} s (${(run.seconds / Math.max(1, n)).toFixed(1)} s a scene).`,
    '',
  ];
  const firstGrid = ctx.grids?.[0];
  if (firstGrid) lines.push(`![${firstGrid.title}](${firstGrid.path})`, '');
  lines.push('| metric | value | ± s.e. | real pictures | target | met |', '|---|---|---|---|---|---|');
  for (const m of rows) {
    const s = run.summary[m.key] as MetricSummary;
    const ref = m.reference ? run.summary[m.reference] : undefined;
    const met = meetsTarget(m, s.mean, ref?.mean);
    const se = Number.isFinite(s.stdErr) ? m.format(s.stdErr) : '—';
    lines.push(`| ${m.label}${m.sampled ? ' *' : ''} | ${m.format(s.mean)} | ${se} | ${ref && m.reference ? value(m.reference) : '—'} | ${m.target?.text ?? '—'} | ${met === undefined ? '—' : met ? 'yes' : 'no'} |`);
  }
  lines.push('', `Meets all targets: ${verdicts.length > 0 && verdicts.every(Boolean) ? 'yes' : 'no'} (${verdicts.filter(Boolean).length} of ${verdicts.length}).`, '');

  const j = run.judge;
  lines.push(
    '## The judge',
    '',
    `${j.training.summary} Held-out scores at export: ${Object.entries(j.heldout).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')}.`,
    `Reference for the Fréchet distance: ${j.reference.count} real held-out pictures (${j.reference.seeds}), none of the scenes above.`,
    '',
    '| on these scenes\' real pictures | value | target | met |',
    '|---|---|---|---|',
  );
  for (const key of ['real_miou_band', 'real_miou', 'real_kind'] as const) {
    const m = METRICS.find((x) => x.key === key) as MetricSpec;
    const s = run.summary[key];
    if (!s) continue;
    const met = meetsTarget(m, s.mean);
    lines.push(`| ${m.label} | ${m.format(s.mean)} | ${m.target?.text ?? '—'} | ${met === undefined ? '—' : met ? 'yes' : 'no'} |`);
  }
  lines.push('');

  if (ctx.grids && ctx.grids.length > 0) {
    lines.push('## Pictures', '', 'Columns are held-out scenes; rows are the condition the model was given, its picture, and the real picture (same seeds and settings as the table).', '');
    for (const g of ctx.grids) {
      lines.push(`### ${g.title}`, '', `![${g.title}](${g.path})`, '');
      if (g.note) lines.push(g.note, '');
    }
  }

  lines.push(
    '## How to read these numbers',
    '',
    `- Rows marked * sample with ${pictureSettingsText(run.sampling)} (seed = scene position); the others are deterministic. Inpainting keeps half the RGB tokens (a seeded random half) and fills the rest in one step with the token nearest the model's expected code (FSQ; tokenChoice expected-code); its PSNR against the real picture is compared with copying the nearest kept token into each hidden one, and with the likeliest token (greedy ROAR ${INPAINT_STEPS}).`,
    '- Layout adherence: the judge reads the generated picture and its classes are compared with the condition\'s (mIoU). Beside it, the same judge on the real picture: no generated picture can be expected to score above that.',
    '- Judge mIoUs with a target leave the 1 px strip along the true class borders unscored, as PASCAL VOC\'s "void" border: the renderer anti-aliases edges, so those pixels mix two classes\' colours and the eye cannot assign them either. Generated and real pictures are scored the same way in each row, and the all-pixel figure is the row beside it.',
    '- Colour coherence: the share of pixels within RGB distance 40 of their region\'s median colour; regions are connected patches of one class in the condition\'s layout for semseg→RGB; for caption→RGB, which has no layout, the judge\'s reading with all object kinds folded into one (so a multicoloured blob is one region, not many small coherent patches of different kinds); 2 px around class borders ignored, objects and background (sky, ground) counted apart. Shading and shadows keep real pictures below 1.',
    '- Fréchet distance: the judge\'s pooled bottleneck features of the n generated pictures against a Gaussian of other real held-out pictures; the real-pictures column is the same for these scenes\' real pictures (same n, so the same small-sample bias): the floor.',
    '- caption→RGB, one verdict per named object. *Drawn* (the target row): some connected patch of its kind, as the judge reads the picture, of at least 20 pixels, has at least half of its pixels named its colour: what a person calls "a red cube". *20 pixels* (kept for comparison with earlier reports): at least 20 pixels of its kind are named its colour anywhere; a multicoloured blob passes it whenever 20 of its pixels have the colour, so it rewards confetti. boxes→RGB: one verdict per box: at least 25 % of the box is its kind.',
    '- RGB→semseg, RGB→X and RGB→caption are the model reading the real picture; their keys and settings are those of the recipe\'s PyTorch evaluation (`python -m fourm_recipe.fm.evaluate`), which they match to float noise.',
    '',
  );
  return lines.join('\n');
}

/** The settings the picture rows used: the product's defaults unless a sweep overrode them. */
export function pictureSettingsText(overrides: Partial<ImageSampling>): string {
  const swept = Object.keys(overrides).length > 0 ? ' (a sweep\'s overrides, not the product\'s defaults)' : ' (the product\'s defaults, preload/contract/sampling-defaults.ts)';
  return `semseg→RGB and boxes→RGB: ${describeImageSampling({ ...PICTURE_SAMPLING.layout, ...overrides })}; caption→RGB: ${describeImageSampling({ ...PICTURE_SAMPLING.words, ...overrides })}${swept}`;
}

function fmt(spec: MetricSpec, s: MetricSummary): string {
  return spec.format(s.mean);
}

function grouped(v: number): string {
  return v.toLocaleString('en-US');
}
