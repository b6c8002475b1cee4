/**
 * The metrics of the held-out evaluation: keys, rows and quality targets. The model's own rows
 * (tokenizers, RGB→X, RGB→caption) keep the keys and targets of the recipe's PyTorch evaluation
 * (fourm_recipe/fm/evaluate.py). Every generated picture is read by the independent judge
 * (./judge.ts), never by the model under test, and each generation row has a reference: the same
 * metric on the real pictures (or, for inpainting, the nearest-token copy baseline), printed beside it.
 * Judge mIoUs with a target leave the 1 px strip at true class borders unscored (./metrics/border-band.ts);
 * the all-pixel value stays beside them without a target.
 */

export const METRIC_KEYS = [
  'tok_psnr',
  'tok_sem_acc',
  'tok_depth_absrel',
  'rgb2sem',
  'rgb2depth_d1',
  'rgb2depth_absrel',
  'rgb2normal',
  'rgb2cap_recall',
  'sem2rgb_miou_band',
  'sem2rgb_miou',
  'sem2rgb_coh_obj',
  'sem2rgb_coh_bg',
  'sem2rgb_fd',
  'cap2rgb_obj',
  'cap2rgb_hit',
  'cap2rgb_coh_obj',
  'cap2rgb_coh_bg',
  'cap2rgb_fd',
  'box2rgb_hit',
  'inpaint_psnr',
  'inpaint_greedy_psnr',
  // References: the same measures on the real pictures (and the inpainting baseline).
  'real_miou_band',
  'real_miou',
  'real_kind',
  'real_coh_obj',
  'real_coh_bg',
  'real_jcoh_obj',
  'real_jcoh_bg',
  'real_fd',
  'real_cap_obj',
  'real_cap_hit',
  'real_box_hit',
  'inpaint_copy_psnr',
] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

export type Target =
  | { readonly op: '>=' | '<='; readonly value: number; readonly text: string }
  /** |value − reference| ≤ value. */
  | { readonly op: 'near-ref'; readonly value: number; readonly text: string }
  /** value ≤ reference × value. */
  | { readonly op: 'ref-times'; readonly value: number; readonly text: string }
  /** value > reference. */
  | { readonly op: 'above-ref'; readonly value: 0; readonly text: string };

export interface MetricSpec {
  readonly key: MetricKey;
  readonly label: string;
  readonly format: (v: number) => string;
  /** Missing: reported without a target. */
  readonly target?: Target;
  /** Whether a run's value depends on sampling randomness. */
  readonly sampled: boolean;
  /** The key whose value is printed beside this one (real pictures, or a baseline). */
  readonly reference?: MetricKey;
  /** A reference or the judge's own score: shown beside a row or in the judge's table, not as a model row. */
  readonly auxiliary?: boolean;
}

const fixed = (digits: number, unit = '') => (v: number) => `${v.toFixed(digits)}${unit}`;
const percent = (v: number) => `${(100 * v).toFixed(1)} %`;
const NEAR_REAL = { op: 'near-ref', value: 0.05, text: 'within 0.05 of real' } as const;

export const METRICS: readonly MetricSpec[] = [
  { key: 'tok_psnr', label: 'Tokenizer RGB reconstruction PSNR', format: fixed(2, ' dB'), target: { op: '>=', value: 30, text: '≥ 30 dB' }, sampled: false },
  { key: 'tok_sem_acc', label: 'Tokenizer semseg pixel accuracy', format: (v) => `${(100 * v).toFixed(2)} %`, target: { op: '>=', value: 0.98, text: '≥ 98 %' }, sampled: false },
  { key: 'tok_depth_absrel', label: 'Tokenizer depth AbsRel', format: fixed(4), target: { op: '<=', value: 0.03, text: '≤ 0.03' }, sampled: false },
  { key: 'rgb2sem', label: 'RGB→semseg, 1 step, mIoU', format: fixed(3), target: { op: '>=', value: 0.85, text: '≥ 0.85' }, sampled: false, reference: 'real_miou' },
  { key: 'rgb2depth_d1', label: 'RGB→depth, 1 step, δ<1.25', format: fixed(3), target: { op: '>=', value: 0.95, text: '≥ 0.95' }, sampled: false },
  { key: 'rgb2depth_absrel', label: 'RGB→depth, 1 step, AbsRel', format: fixed(4), sampled: false },
  { key: 'rgb2normal', label: 'RGB→normals, 1 step, mean angular error', format: fixed(1, '°'), target: { op: '<=', value: 12, text: '≤ 12°' }, sampled: false },
  { key: 'rgb2cap_recall', label: 'RGB→caption object-kind recall', format: fixed(3), target: { op: '>=', value: 0.9, text: '≥ 0.9' }, sampled: false },
  { key: 'sem2rgb_miou_band', label: 'semseg→RGB layout adherence: judge mIoU vs the condition, 1 px class border unscored (VOC void)', format: fixed(3), target: { op: '>=', value: 0.85, text: '≥ 0.85' }, sampled: true, reference: 'real_miou_band' },
  { key: 'sem2rgb_miou', label: 'semseg→RGB layout adherence, all pixels (informative)', format: fixed(3), sampled: true, reference: 'real_miou' },
  { key: 'sem2rgb_coh_obj', label: 'semseg→RGB colour coherence inside objects', format: fixed(3), target: NEAR_REAL, sampled: true, reference: 'real_coh_obj' },
  { key: 'sem2rgb_coh_bg', label: 'semseg→RGB colour coherence in sky and ground', format: fixed(3), target: NEAR_REAL, sampled: true, reference: 'real_coh_bg' },
  { key: 'sem2rgb_fd', label: 'semseg→RGB Fréchet distance to real pictures (judge features)', format: fixed(2), target: { op: 'ref-times', value: 2, text: '≤ 2× real vs real' }, sampled: true, reference: 'real_fd' },
  { key: 'cap2rgb_obj', label: 'caption→RGB: named object drawn, a patch of its kind mostly its colour (judge)', format: percent, target: { op: '>=', value: 0.8, text: '≥ 80 %' }, sampled: true, reference: 'real_cap_obj' },
  { key: 'cap2rgb_hit', label: 'caption→RGB: 20 pixels of the named kind in its colour (judge; lenient, passes confetti)', format: percent, sampled: true, reference: 'real_cap_hit' },
  { key: 'cap2rgb_coh_obj', label: 'caption→RGB colour coherence inside objects (judge\'s object outlines)', format: fixed(3), target: NEAR_REAL, sampled: true, reference: 'real_jcoh_obj' },
  { key: 'cap2rgb_coh_bg', label: 'caption→RGB colour coherence in sky and ground (judge regions)', format: fixed(3), target: NEAR_REAL, sampled: true, reference: 'real_jcoh_bg' },
  { key: 'cap2rgb_fd', label: 'caption→RGB Fréchet distance to real pictures (judge features)', format: fixed(2), target: { op: 'ref-times', value: 2, text: '≤ 2× real vs real' }, sampled: true, reference: 'real_fd' },
  { key: 'box2rgb_hit', label: 'boxes→RGB: box holds its kind (judge, ≥ 25 % of the box)', format: percent, sampled: true, reference: 'real_box_hit' },
  { key: 'inpaint_psnr', label: 'inpainting, 50 % RGB tokens visible, expected-code fill, PSNR (copy baseline beside)', format: fixed(2, ' dB'), target: { op: 'above-ref', value: 0, text: 'above nearest-token copy' }, sampled: false, reference: 'inpaint_copy_psnr' },
  { key: 'inpaint_greedy_psnr', label: 'inpainting with the likeliest token instead (greedy, ROAR 8), PSNR', format: fixed(2, ' dB'), sampled: false, reference: 'inpaint_copy_psnr' },
  { key: 'real_miou_band', label: 'judge mIoU on the real pictures, 1 px class border unscored (VOC void)', format: fixed(3), target: { op: '>=', value: 0.95, text: '≥ 0.95' }, sampled: false, auxiliary: true },
  { key: 'real_miou', label: 'judge mIoU on the real pictures, all pixels (informative)', format: fixed(3), sampled: false, auxiliary: true },
  { key: 'real_kind', label: 'judge object-kind accuracy on the real pictures', format: fixed(3), target: { op: '>=', value: 0.95, text: '≥ 0.95' }, sampled: false, auxiliary: true },
  { key: 'real_coh_obj', label: 'real pictures: coherence inside objects', format: fixed(3), sampled: false, auxiliary: true },
  { key: 'real_coh_bg', label: 'real pictures: coherence in sky and ground', format: fixed(3), sampled: false, auxiliary: true },
  { key: 'real_jcoh_obj', label: 'real pictures: coherence inside objects (judge\'s object outlines)', format: fixed(3), sampled: false, auxiliary: true },
  { key: 'real_jcoh_bg', label: 'real pictures: coherence in sky and ground (judge regions)', format: fixed(3), sampled: false, auxiliary: true },
  { key: 'real_fd', label: 'real vs real Fréchet distance (the floor)', format: fixed(2), sampled: false, auxiliary: true },
  { key: 'real_cap_obj', label: 'real pictures: named object drawn as a patch of its colour (judge)', format: percent, sampled: false, auxiliary: true },
  { key: 'real_cap_hit', label: 'real pictures: named kind+colour present (judge)', format: percent, sampled: false, auxiliary: true },
  { key: 'real_box_hit', label: 'real pictures: box holds its kind (judge)', format: percent, sampled: false, auxiliary: true },
  { key: 'inpaint_copy_psnr', label: 'inpainting baseline: nearest visible token copied', format: fixed(2, ' dB'), sampled: false, auxiliary: true },

];

export function metricSpec(key: MetricKey): MetricSpec {
  const spec = METRICS.find((m) => m.key === key);
  if (!spec) throw new RangeError(`no metric ${key}`);
  return spec;
}

/**
 * Whether a value meets its metric's target; undefined for metrics without one, or when a
 * reference-relative target has no reference value.
 */
export function meetsTarget(spec: MetricSpec, value: number, reference?: number): boolean | undefined {
  const t = spec.target;
  if (!t) return undefined;
  switch (t.op) {
    case '>=':
      return value >= t.value;
    case '<=':
      return value <= t.value;
    case 'near-ref':
      return reference === undefined ? undefined : Math.abs(value - reference) <= t.value;
    case 'ref-times':
      return reference === undefined ? undefined : value <= reference * t.value;
    case 'above-ref':
      return reference === undefined ? undefined : value > reference;
  }
}
