import { describe, expect, it } from 'vitest';
import { parseSamInstances, serializeSamInstances, type SamQueryPoint } from '../../../../../models/tokenizers/sequence/sam-instance';

const grid = (base: number): number[] => Array.from({ length: 16 }, (_, i) => (base + i * 97) % 1024);

describe('sam_instance text', () => {
  const points: SamQueryPoint[] = [
    { y: 12, x: 200, instances: [{ box: { xmin: 5, ymin: 6, xmax: 100, ymax: 120 }, tokens: grid(3) }] },
    { y: 0, x: 0, instances: [] },
    { y: 223, x: 7, instances: [{ box: { xmin: 0, ymin: 0, xmax: 224, ymax: 224 }, tokens: grid(511) }, { box: { xmin: 1, ymin: 2, xmax: 3, ymax: 4 }, tokens: grid(900) }] },
  ];

  it('writes the data pipeline format: ids < 512 on v0, others on v1 − 512; `none` for empty points', () => {
    const text = serializeSamInstances(points);
    expect(text.startsWith('point v0=12 v1=200 polygon v0=5 v1=6 v2=100 v3=120 v0=3 v0=100 v0=197')).toBe(true);
    expect(text).toContain('point v0=0 v1=0 none point v0=223 v1=7 polygon');
    expect(text).toContain('v0=511 v1=96'); // 511, then 608 = 512 + 96
    expect(text.split(' ')).toHaveLength((3 + 21) + (3 + 1) + (3 + 2 * 21));
  });

  it('parses what it writes, in order, and ignores sentinels and [EOS]', () => {
    const parsed = parseSamInstances(`[S_1] ${serializeSamInstances(points)} [EOS]`);
    expect(parsed.points).toEqual(points);
    expect(parsed.instances).toHaveLength(3);
    expect(parsed.dropped).toEqual([]);
  });

  it('drops malformed groups with a reason instead of throwing', () => {
    const ok = serializeSamInstances([points[0] as SamQueryPoint]);
    const text = [
      ok,
      'polygon v0=1 v1=2 v2=3 v3=4 v0=5', // short
      `polygon v0=9 v1=2 v2=9 v3=4 ${'v0=1 '.repeat(16)}`, // empty box
      `polygon v0=1 v1=2 v2=9 v3=4 ${'v1=700 '.repeat(16)}`, // 1212 is past the codebook
      `polygon v0=1 v1=2 v2=9 v3=4 ${'v0=1 '.repeat(15)} cat`,
    ].join(' ');
    const parsed = parseSamInstances(text);
    expect(parsed.instances).toHaveLength(1);
    expect(parsed.dropped.map((d) => d.reason)).toEqual([
      'an instance needs 4 box values and 16 mask tokens (20 words), got 5',
      'empty box (9,2)–(9,4)',
      'mask token 1212 is outside the codebook (0…1023)',
      '"cat" is not a v<axis>=<number> word',
    ]);
    // Words after a polygon group belong to it (as in the official split): it no longer has 20.
    expect(parseSamInstances(`${ok} stray`).dropped[0]?.reason).toMatch(/got 21$/);
    expect(parseSamInstances('hello point v0=1 v1=2 none').dropped).toEqual([{ text: 'hello', reason: 'not a `point v0=<y> v1=<x>` query point' }]);
    expect(parseSamInstances('').points).toEqual([]);
  });

  it('refuses to write instances it cannot represent', () => {
    expect(() => serializeSamInstances([{ y: 1, x: 1, instances: [{ box: { xmin: 0, ymin: 0, xmax: 1, ymax: 1 }, tokens: [1] }] }])).toThrow(/16 mask tokens, got 1/);
    expect(() => serializeSamInstances([{ y: 1, x: 1, instances: [{ box: { xmin: 0, ymin: 0, xmax: 1, ymax: 1 }, tokens: grid(0).map(() => 1024) }] }])).toThrow(/1024 is outside 0…1023/);
  });
});
