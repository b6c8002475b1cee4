import { describe, expect, it } from 'vitest';
import { meetsTarget, METRIC_KEYS, METRICS } from '../../../../models/eval/metric-table';

describe('metric table', () => {
  it('has one row per metric key, in report order', () => {
    expect(METRICS.map((m) => m.key)).toEqual([...METRIC_KEYS]);
  });

  it('holds the recipe targets for the model reading pictures and the issue-17 targets for generation', () => {
    const targets = Object.fromEntries(METRICS.filter((m) => m.target && !m.auxiliary).map((m) => [m.key, [m.target?.op, m.target?.value]]));
    expect(targets).toEqual({
      rgb2sem: ['>=', 0.85],
      rgb2depth_d1: ['>=', 0.95],
      rgb2normal: ['<=', 12],
      rgb2cap_recall: ['>=', 0.9],
      tok_psnr: ['>=', 30],
      tok_sem_acc: ['>=', 0.98],
      tok_depth_absrel: ['<=', 0.03],
      sem2rgb_miou_band: ['>=', 0.85],
      sem2rgb_coh_obj: ['near-ref', 0.05],
      sem2rgb_coh_bg: ['near-ref', 0.05],
      sem2rgb_fd: ['ref-times', 2],
      cap2rgb_obj: ['>=', 0.8],
      cap2rgb_coh_obj: ['near-ref', 0.05],
      cap2rgb_coh_bg: ['near-ref', 0.05],
      cap2rgb_fd: ['ref-times', 2],
      inpaint_psnr: ['above-ref', 0],
    });
  });

  it('gives every generation row a reference key that exists', () => {
    for (const m of METRICS.filter((x) => x.key.includes('2rgb') || x.key.startsWith('inpaint_psnr'))) {
      expect(METRIC_KEYS, m.key).toContain(m.reference);
    }
  });

  it('scores each judge mIoU row\'s real-picture column the way it scores the row, the border-band one carrying the targets', () => {
    const byKey = (k: string) => METRICS.find((m) => m.key === k) as (typeof METRICS)[number];
    expect(byKey('sem2rgb_miou_band').reference).toBe('real_miou_band');
    expect(byKey('sem2rgb_miou').reference).toBe('real_miou');
    expect(byKey('sem2rgb_miou').target).toBeUndefined();
    expect(byKey('real_miou_band').target).toMatchObject({ op: '>=', value: 0.95 });
    expect(byKey('real_miou').target).toBeUndefined();
    expect(byKey('real_miou').label).toMatch(/all pixels/);
  });

  it('judges reference-relative targets against the reference, and not without one', () => {
    const byKey = (k: string) => METRICS.find((m) => m.key === k) as (typeof METRICS)[number];
    expect(meetsTarget(byKey('sem2rgb_coh_obj'), 0.79, 0.83)).toBe(true);
    expect(meetsTarget(byKey('sem2rgb_coh_obj'), 0.87, 0.83)).toBe(true);
    expect(meetsTarget(byKey('sem2rgb_coh_obj'), 0.7, 0.83)).toBe(false);
    expect(meetsTarget(byKey('sem2rgb_coh_obj'), 0.7)).toBeUndefined();
    expect(meetsTarget(byKey('sem2rgb_fd'), 20, 10)).toBe(true);
    expect(meetsTarget(byKey('sem2rgb_fd'), 20.1, 10)).toBe(false);
    expect(meetsTarget(byKey('inpaint_psnr'), 23.4, 23.3)).toBe(true);
    expect(meetsTarget(byKey('inpaint_psnr'), 23.3, 23.3)).toBe(false);
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
