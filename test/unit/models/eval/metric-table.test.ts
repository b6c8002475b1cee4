import { describe, expect, it } from 'vitest';
import { meetsTarget, METRIC_KEYS, METRICS } from '../../../../models/eval/metric-table';

describe('metric table', () => {
  it('has one row per metric key, in the recipe report order', () => {
    expect(METRICS.map((m) => m.key)).toEqual([...METRIC_KEYS]);
  });

  it('holds the recipe targets (fourm_recipe/fm/evaluate.py TARGETS)', () => {
    const targets = Object.fromEntries(METRICS.filter((m) => m.target).map((m) => [m.key, [m.target?.op, m.target?.value]]));
    expect(targets).toEqual({
      rgb2sem: ['>=', 0.85],
      rgb2depth_d1: ['>=', 0.95],
      rgb2normal: ['<=', 12],
      sem2rgb_miou: ['>=', 0.75],
      cap2rgb_hit: ['>=', 0.8],
      rgb2cap_recall: ['>=', 0.9],
      tok_psnr: ['>=', 30],
      tok_sem_acc: ['>=', 0.98],
      tok_depth_absrel: ['<=', 0.03],
    });
  });

  it('judges targets inclusively in their direction', () => {
    const byKey = (k: string) => METRICS.find((m) => m.key === k) as (typeof METRICS)[number];
    expect(meetsTarget(byKey('rgb2sem'), 0.85)).toBe(true);
    expect(meetsTarget(byKey('rgb2sem'), 0.84)).toBe(false);
    expect(meetsTarget(byKey('rgb2normal'), 12)).toBe(true);
    expect(meetsTarget(byKey('rgb2normal'), 12.1)).toBe(false);
    expect(meetsTarget(byKey('rgb2depth_absrel'), 9)).toBeUndefined();
  });

  it('formats values in the units of the targets', () => {
    const fmt = Object.fromEntries(METRICS.map((m) => [m.key, m.format(m.key === 'tok_psnr' ? 31.349 : m.key === 'rgb2normal' ? 17.12 : 0.19734)]));
    expect(fmt).toMatchObject({ tok_psnr: '31.35 dB', tok_sem_acc: '19.73 %', rgb2sem: '0.197', rgb2depth_absrel: '0.1973', rgb2normal: '17.1°', cap2rgb_hit: '19.7 %' });
  });
});
