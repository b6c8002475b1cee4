import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../../models/eval/report';
import type { EvalRun } from '../../../../models/eval/run-eval';
import { summarize } from '../../../../models/eval/summary';

const scores = {
  tok_psnr: [31.2, 31.5],
  tok_sem_acc: [0.99, 1],
  tok_depth_absrel: [0.02, 0.022],
  rgb2sem: [0.9, 0.86],
  rgb2depth_d1: [0.5, 0.7],
  rgb2depth_absrel: [0.2, 0.3],
  rgb2normal: [17, 18],
  sem2rgb_miou: [0.2, 0.3],
  cap2rgb_hit: [1, 0, 0],
  rgb2cap_recall: [0.5, 0],
};

const run: EvalRun = {
  modelId: 'world-4m-small',
  trainingSteps: 662,
  scenesDir: '/abs/heldout',
  index: { format: '4m-studio.heldout/1', split: 'eval', seedBase: 9_000_000, size: 128, depth: { metresPerUnit: 0.001 }, classes: ['sky'], kinds: [], namedColours: {}, scenes: ['0000', '0001'] },
  scenes: [
    { name: '0000', seed: 9_000_000, seconds: 2, scores: {}, caption: '' },
    { name: '0001', seed: 9_000_001, seconds: 2, scores: {}, caption: '' },
  ],
  summary: summarize(scores),
  provider: { provider: 'cpu', skipped: [{ provider: 'cuda', reason: 'not installed' }] },
  cores: 2,
  seconds: 4.2,
};

describe('renderReport', () => {
  const md = renderReport(run, { scenesLabel: 'test/fixtures/heldout', runtime: 'onnxruntime-node 1.30.0', command: 'npx 4m eval --scenes x' });

  it('says what ran: scenes, engine and backend, training steps, timing', () => {
    expect(md).toMatch(/^# EVAL — world-4m-small\n/);
    expect(md).toContain('Held-out scenes: 2 (eval split, seeds 9,000,000–9,000,001; never trained on), read from `test/fixtures/heldout`.');
    expect(md).toContain('TypeScript engine (`npx 4m eval --scenes x`)');
    expect(md).toContain('onnxruntime-node 1.30.0, cpu execution provider (skipped: cuda: not installed), 2 CPU cores');
    expect(md).toContain('FM trained for 662 steps');
    expect(md).toContain('Evaluation took 4 s (2.1 s a scene).');
  });

  it('has one row per metric with value, standard error, target and verdict', () => {
    expect(md).toContain('| RGB→semseg, 1 step, mIoU | 0.880 | 0.020 | ≥ 0.85 | yes |');
    expect(md).toContain('| RGB→depth, 1 step, AbsRel | 0.2500 | 0.0500 | — | — |');
    expect(md).toContain('| RGB→normals, 1 step, mean angular error | 17.5° | 0.5° | ≤ 12° | no |');
    expect(md).toContain('| caption→RGB: named kind+colour present * | 33.3 % |');
    expect(md.match(/^\| /gm)).toHaveLength(11);
  });

  it('gives the verdict over targets and says which rows are sampled', () => {
    expect(md).toContain('Meets all targets: no (4 of 9).');
    expect(md).toMatch(/marked \* sample/);
    expect(md).toMatch(/within sampling noise/);
  });
});
