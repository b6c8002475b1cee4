import { describe, expect, it } from 'vitest';
import { evaluationRecord } from '../../../../models/eval/verdict';
import type { EvalRun } from '../../../../models/eval/run-eval';

const run = (summary: EvalRun['summary']): EvalRun => ({ summary, scenes: [{}, {}] } as unknown as EvalRun);
const s = (mean: number) => ({ mean, stdErr: 0, count: 2 });

describe('evaluationRecord', () => {
  it('records each metric with a target as passed or not, and all-met only when every one passes', () => {
    const rec = evaluationRecord(run({ rgb2depth_d1: s(0.97), rgb2normal: s(13), rgb2depth_absrel: s(0.06) }), 'EVAL.md');
    expect(rec.passed).toEqual({ rgb2depth_d1: true, rgb2normal: false });
    expect(rec.metrics).toEqual({ rgb2depth_d1: 0.97, rgb2normal: 13, rgb2depth_absrel: 0.06 });
    expect(rec.meetsTargets).toBe(false);
    expect(rec.scenes).toBe(2);
    expect(evaluationRecord(run({ rgb2depth_d1: s(0.96), rgb2normal: s(4.8) }), 'EVAL.md').meetsTargets).toBe(true);
  });

  it('judges reference-relative targets against the run\'s reference and leaves the references out of the verdict', () => {
    const rec = evaluationRecord(run({ sem2rgb_coh_obj: s(0.8), real_coh_obj: s(0.83), real_miou: s(0.5) }), 'EVAL.md');
    expect(rec.passed).toEqual({ sem2rgb_coh_obj: true });
    expect(rec.metrics).toEqual({ sem2rgb_coh_obj: 0.8, real_coh_obj: 0.83, real_miou: 0.5 });
    expect(rec.meetsTargets).toBe(true);
  });

  it('never claims all targets met for a run with no targeted metric', () => {
    expect(evaluationRecord(run({ rgb2depth_absrel: s(0.06) }), 'EVAL.md').meetsTargets).toBe(false);
  });
});
