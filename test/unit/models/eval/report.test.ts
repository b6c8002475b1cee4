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
  sem2rgb_miou_band: [0.3, 0.4],
  sem2rgb_miou: [0.2, 0.3],
  sem2rgb_coh_obj: [0.5, 0.6],
  cap2rgb_obj: [1, 0, 0],
  cap2rgb_hit: [1, 1, 0],
  rgb2cap_recall: [0.5, 0],
  inpaint_psnr: [20, 22],
  inpaint_copy_psnr: [23, 23],
  real_miou_band: [0.99, 1],
  real_miou: [0.97, 0.99],
  real_kind: [0.96, 0.98],
  real_coh_obj: [0.8, 0.84],
};

const run: EvalRun = {
  modelId: 'world-4m-small',
  trainingSteps: 662,
  scenesDir: '/abs/heldout',
  sampling: {},
  index: { format: '4m-studio.heldout/1', split: 'eval', seedBase: 9_000_000, size: 128, depth: { metresPerUnit: 0.001 }, classes: ['sky'], kinds: [], namedColours: {}, scenes: ['0000', '0001'] },
  scenes: [
    { name: '0000', seed: 9_000_000, seconds: 2, scores: {}, caption: '' },
    { name: '0001', seed: 9_000_001, seconds: 2, scores: {}, caption: '' },
  ],
  summary: { ...summarize(scores), sem2rgb_fd: { mean: 40, stdErr: Number.NaN, count: 2 }, real_fd: { mean: 10, stdErr: Number.NaN, count: 2 } },
  judge: {
    format: '4m-studio.judge/1',
    classes: ['sky'],
    imageSize: 128,
    featureDim: 2,
    reference: { count: 500, seeds: 'eval seeds 9,002,000–9,002,499', mean: [0, 0], cov: [1, 0, 0, 1] },
    heldout: { mIoU: 0.97 },
    training: { summary: 'A U-Net.' },
  },
  provider: { provider: 'cpu', skipped: [{ provider: 'cuda', reason: 'not installed' }] },
  cores: 2,
  seconds: 4.2,
};

describe('renderReport', () => {
  const md = renderReport(run, {
    scenesLabel: 'test/fixtures/heldout',
    runtime: 'onnxruntime-node 1.30.0',
    command: 'npx 4m eval --scenes x',
    grids: [
      { title: 'semseg → RGB', path: 'eval/sem2rgb.png' },
      { title: 'caption → RGB', path: 'eval/cap2rgb.png', note: '1. a red cube' },
    ],
  });

  it('says what ran: scenes, engine and backend, training steps, timing', () => {
    expect(md).toMatch(/^# EVAL — world-4m-small\n/);
    expect(md).toContain('Held-out scenes: 2 (eval split, seeds 9,000,000–9,000,001; never trained on), read from `test/fixtures/heldout`.');
    expect(md).toContain('TypeScript engine (`npx 4m eval --scenes x`)');
    expect(md).toContain('onnxruntime-node 1.30.0, cpu execution provider (skipped: cuda: not installed), 2 CPU cores');
    expect(md).toContain('FM trained for 662 steps');
    expect(md).toContain('Evaluation took 4 s (2.1 s a scene).');
  });

  it('has one row per model metric with value, standard error, real-picture reference, target and verdict', () => {
    expect(md).toContain('| RGB→semseg, 1 step, mIoU | 0.880 | 0.020 | 0.980 | ≥ 0.85 | yes |');
    expect(md).toContain('| RGB→depth, 1 step, AbsRel | 0.2500 | 0.0500 | — | — | — |');
    expect(md).toContain('| RGB→normals, 1 step, mean angular error | 17.5° | 0.5° | — | ≤ 12° | no |');
    expect(md).toContain('| caption→RGB: named object drawn, a patch of its kind mostly its colour (judge) * | 33.3 % |');
    expect(md).toContain('| caption→RGB: 20 pixels of the named kind in its colour (judge; lenient, passes confetti) * | 66.7 % |');
    expect(md).toContain('| semseg→RGB colour coherence inside objects * | 0.550 | 0.050 | 0.820 | within 0.05 of real | no |');
    expect(md).toContain('| semseg→RGB Fréchet distance to real pictures (judge features) * | 40.00 | — | 10.00 | ≤ 2× real vs real | no |');
    expect(md).toContain('| inpainting, 50 % RGB tokens visible, expected-code fill, PSNR (copy baseline beside) | 21.00 dB | 1.00 dB | 23.00 dB | above nearest-token copy | no |');
    expect(md).toContain('| semseg→RGB layout adherence: judge mIoU vs the condition, 1 px class border unscored (VOC void) * | 0.350 | 0.050 | 0.995 | ≥ 0.85 | no |');
    expect(md).toContain('| semseg→RGB layout adherence, all pixels (informative) * | 0.250 | 0.050 | 0.980 | — | — |');
    // 15 model rows + header; the judge's table: 3 rows + header.
    expect(md.match(/^\| /gm)).toHaveLength(20);
  });

  it('reports the judge and embeds the grids, one near the top', () => {
    expect(md).toContain('on these scenes\' real pictures: mIoU 0.995 with the 1 px class border unscored, 0.980 over all pixels; object-kind accuracy 0.970');
    expect(md).toContain('| judge mIoU on the real pictures, 1 px class border unscored (VOC void) | 0.995 | ≥ 0.95 | yes |');
    expect(md).toContain('| judge mIoU on the real pictures, all pixels (informative) | 0.980 | — | — |');
    expect(md).toMatch(/border[^\n]*unscored[^\n]*anti-aliases[^\n]*all-pixel figure/);
    expect(md).toContain('A U-Net. Held-out scores at export: mIoU 0.970.');
    expect(md.indexOf('![semseg → RGB](eval/sem2rgb.png)')).toBeLessThan(md.indexOf('| metric |'));
    expect(md).toContain('### caption → RGB\n\n![caption → RGB](eval/cap2rgb.png)\n\n1. a red cube');
  });

  it('gives the verdict over the model\'s targets and says which rows are sampled', () => {
    expect(md).toContain('Meets all targets: no (4 of 12).');
    expect(md).toMatch(/marked \* sample/);
  });
});
