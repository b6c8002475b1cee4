/**
 * The metrics of the held-out evaluation: keys, rows and quality targets are
 * those of the recipe's PyTorch evaluation (fourm_recipe/fm/evaluate.py) so the
 * two reports and manifest.evaluation.metrics can be compared key by key.
 */

export const METRIC_KEYS = [
  'tok_psnr',
  'tok_sem_acc',
  'tok_depth_absrel',
  'rgb2sem',
  'rgb2depth_d1',
  'rgb2depth_absrel',
  'rgb2normal',
  'sem2rgb_miou',
  'cap2rgb_hit',
  'cap2rgb_judge',
  'rgb2cap_recall',
] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

export interface MetricSpec {
  readonly key: MetricKey;
  readonly label: string;
  readonly format: (v: number) => string;
  /** Missing: reported without a target. */
  readonly target?: { readonly op: '>=' | '<='; readonly value: number; readonly text: string };
  /** Whether a run's value depends on sampling randomness (so TS and PyTorch may differ beyond float noise). */
  readonly sampled: boolean;
}

const fixed = (digits: number, unit = '') => (v: number) => `${v.toFixed(digits)}${unit}`;
const percent = (v: number) => `${(100 * v).toFixed(1)} %`;

export const METRICS: readonly MetricSpec[] = [
  { key: 'tok_psnr', label: 'Tokenizer RGB reconstruction PSNR', format: fixed(2, ' dB'), target: { op: '>=', value: 30, text: '≥ 30 dB' }, sampled: false },
  { key: 'tok_sem_acc', label: 'Tokenizer semseg pixel accuracy', format: (v) => `${(100 * v).toFixed(2)} %`, target: { op: '>=', value: 0.98, text: '≥ 98 %' }, sampled: false },
  { key: 'tok_depth_absrel', label: 'Tokenizer depth AbsRel', format: fixed(4), target: { op: '<=', value: 0.03, text: '≤ 0.03' }, sampled: false },
  { key: 'rgb2sem', label: 'RGB→semseg, 1 step, mIoU', format: fixed(3), target: { op: '>=', value: 0.85, text: '≥ 0.85' }, sampled: false },
  { key: 'rgb2depth_d1', label: 'RGB→depth, 1 step, δ<1.25', format: fixed(3), target: { op: '>=', value: 0.95, text: '≥ 0.95' }, sampled: false },
  { key: 'rgb2depth_absrel', label: 'RGB→depth, 1 step, AbsRel', format: fixed(4), sampled: false },
  { key: 'rgb2normal', label: 'RGB→normals, 1 step, mean angular error', format: fixed(1, '°'), target: { op: '<=', value: 12, text: '≤ 12°' }, sampled: false },
  { key: 'sem2rgb_miou', label: 'semseg→RGB (ROAR 8, T 0.7, CFG 2) → semseg mIoU', format: fixed(3), target: { op: '>=', value: 0.75, text: '≥ 0.75' }, sampled: true },
  { key: 'cap2rgb_hit', label: 'caption→RGB: named kind+colour present', format: percent, target: { op: '>=', value: 0.8, text: '≥ 80 %' }, sampled: true },
  {
    key: 'cap2rgb_judge',
    label: 'caption→RGB judge on the real picture (its ceiling)',
    format: percent,
    sampled: false,
  },
  { key: 'rgb2cap_recall', label: 'RGB→caption object-kind recall', format: fixed(3), target: { op: '>=', value: 0.9, text: '≥ 0.9' }, sampled: false },
];

/** Whether a value meets its metric's target; undefined for metrics without one. */
export function meetsTarget(spec: MetricSpec, value: number): boolean | undefined {
  if (!spec.target) return undefined;
  return spec.target.op === '>=' ? value >= spec.target.value : value <= spec.target.value;
}
