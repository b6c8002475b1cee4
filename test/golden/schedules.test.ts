/**
 * Schedules against the reference values (4M reference §3.2) and against
 * fixtures computed once by an independent NumPy restatement of the formulas
 * (schedules.json holds only the resulting numbers).
 */
import { describe, expect, it } from 'vitest';
import {
  cosineSchedule,
  linearSchedule,
  linearTempSchedule,
  onexTempSchedule,
  temperatureSchedule,
} from '../../models/sampling/schedules';
import fixtures from './schedules.json';

const repeat = (v: number, n: number): number[] => new Array<number>(n).fill(v);
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

describe('token schedules: reference values', () => {
  it('linear', () => {
    expect(linearSchedule(49, 196)).toEqual(repeat(4, 49));
    expect(linearSchedule(25, 196)).toEqual([...repeat(8, 21), ...repeat(7, 4)]);
    expect(linearSchedule(50, 196)).toEqual([...repeat(4, 46), ...repeat(3, 4)]);
    expect(linearSchedule(8, 196)).toEqual([...repeat(25, 4), ...repeat(24, 4)]);
  });

  it('cosine', () => {
    expect(cosineSchedule(8, 784)).toEqual([30, 85, 127, 150, 150, 127, 85, 30]);
  });
});

describe('token schedules: NumPy fixtures', () => {
  const cases = (table: Record<string, number[]>) =>
    Object.entries(table).map(([key, expected]) => {
      const [s, n] = key.split(',').map(Number) as [number, number];
      return { s, n, expected };
    });

  it.each(cases(fixtures.linear))('linear($s, $n)', ({ s, n, expected }) => {
    expect(linearSchedule(s, n)).toEqual(expected);
    expect(sum(expected)).toBe(n);
  });

  it.each(cases(fixtures.cosine))('cosine($s, $n)', ({ s, n, expected }) => {
    expect(cosineSchedule(s, n)).toEqual(expected);
  });

  it('cosine always sums to n and never goes negative (inpainting counts)', () => {
    for (let n = 0; n <= 40; n++) {
      for (let s = 1; s <= 12; s++) {
        const k = cosineSchedule(s, n);
        expect(sum(k)).toBe(n);
        expect(Math.min(...k)).toBeGreaterThanOrEqual(0);
      }
    }
  });
});

describe('temperature schedules', () => {
  it('onex 49 x 4, Tmax 6, Tmin 0.5, p 0.5 (reference values)', () => {
    const t = onexTempSchedule(6, 0.5, linearSchedule(49, 196), 0.5);
    expect(t.slice(0, 4).map((x) => Number(x.toFixed(3)))).toEqual([5.888, 4.688, 3.967, 3.472]);
    expect(t[48]).toBeCloseTo(0.5, 12);
  });

  it('onex 50 steps, Tmax 5 (reference values)', () => {
    const t = onexTempSchedule(5, 0.5, linearSchedule(50, 196), 0.5);
    expect(t.slice(0, 2).map((x) => Number(x.toFixed(3)))).toEqual([4.908, 3.926]);
    expect(t[49]).toBeCloseTo(0.5, 12);
  });

  const closeAll = (actual: number[], expected: number[]) => {
    expect(actual).toHaveLength(expected.length);
    actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 10));
  };

  it('onex fixtures', () => {
    const o = fixtures.onex;
    closeAll(temperatureSchedule('onex:0.5:0.5', 6, linearSchedule(49, 196)), o['6,0.5,0.5,linear(49,196)']);
    closeAll(temperatureSchedule('onex:0.5:0.5', 5, linearSchedule(50, 196)), o['5,0.5,0.5,linear(50,196)']);
    closeAll(temperatureSchedule('onex:0.5:0.5', 3, linearSchedule(25, 196)), o['3,0.5,0.5,linear(25,196)']);
    closeAll(temperatureSchedule('onex:0.5:0.5', 3, linearSchedule(8, 196)), o['3,0.5,0.5,linear(8,196)']);
    closeAll(temperatureSchedule('onex:0.1:1.5', 2, cosineSchedule(8, 784)), o['2,0.1,1.5,cosine(8,784)']);
  });

  it('linear fixtures', () => {
    closeAll(linearTempSchedule(3, linearSchedule(8, 196)), fixtures.linearTemp['3.0,linear(8,196)']);
    closeAll(linearTempSchedule(1, cosineSchedule(8, 784)), fixtures.linearTemp['1.0,cosine(8,784)']);
  });

  it('constant', () => {
    expect(temperatureSchedule('constant', 0.7, [4, 4, 3])).toEqual([0.7, 0.7, 0.7]);
  });
});
