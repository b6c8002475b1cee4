import { describe, expect, it } from 'vitest';
import { countCoordBins, parseDet, roundHalfEven, serializeDet } from '../../../../models/tokenizers/sequence';
import { FIXTURE_COORD_BINS, loadFixtureTokenizer } from './tokenizer-fixture';

describe('roundHalfEven', () => {
  it('matches Python round()', () => {
    expect([0.5, 1.5, 2.5, 127.5, 499.5, -0.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, 128, 500, 0, 2, 3]);
  });
});

describe('serializeDet', () => {
  const boxes = [
    { x0: 0.4, y0: 0.5, x1: 0.9, y1: 1, label: 'bottle', score: 0.9 },
    { x0: 0, y0: 0.25, x1: 0.42, y1: 1, label: 'potted plant', score: 0.95 },
    { x0: 0.1, y0: 0.1, x1: 0.2, y1: 0.2, label: 'cat', score: 0.3 },
  ];

  it('filters by score, sorts by distance to origin, scales by B−1 (B = 1000)', () => {
    expect(serializeDet(boxes, { coordBins: 1000, scoreThreshold: 0.6 })).toBe(
      'v0=0 v1=250 v2=420 v3=999 potted plant v0=400 v1=500 v2=899 v3=999 bottle',
    );
  });

  it('uses the bin count it is given (B = 64) and keeps all boxes without a threshold', () => {
    expect(serializeDet(boxes, { coordBins: 64 })).toBe(
      'v0=6 v1=6 v2=13 v3=13 cat v0=0 v1=16 v2=26 v3=63 potted plant v0=25 v1=32 v2=57 v3=63 bottle',
    );
  });

  it('clamps coordinates outside [0, 1]', () => {
    expect(serializeDet([{ x0: -0.2, y0: 0, x1: 1.5, y1: 1, label: 'dog' }], { coordBins: 64 })).toBe('v0=0 v1=0 v2=63 v3=63 dog');
  });
});

describe('parseDet', () => {
  it('round-trips through the tokenizer (coordinate and class tokens are single ids)', () => {
    const tok = loadFixtureTokenizer();
    expect(countCoordBins(tok)).toBe(FIXTURE_COORD_BINS);
    const text = serializeDet(
      [
        { x0: 0.1, y0: 0.2, x1: 0.5, y1: 0.6, label: 'dining table' },
        { x0: 0.5, y0: 0.5, x1: 1, y1: 1, label: 'teddy bear' },
      ],
      { coordBins: FIXTURE_COORD_BINS },
    );
    const ids = tok.encode(`[S_1] ${text} [S_2]`);
    expect(ids.length).toBe(12);
    const parsed = parseDet(tok.decode(ids), { coordBins: FIXTURE_COORD_BINS });
    expect(parsed.dropped).toEqual([]);
    expect(parsed.boxes.map((b) => b.label)).toEqual(['dining table', 'teddy bear']);
    expect(parsed.boxes[0]?.x0).toBeCloseTo(6 / 63);
    expect(parsed.boxes[1]?.x1).toBe(1);
  });

  it('drops incomplete groups and label-less boxes, clamps and reorders corners', () => {
    const parsed = parseDet('v0=1 v1=2 cat v0=5 v1=5 v2=70 v3=2 dog v0=1 v1=1 v2=2 v3=3 v2=9 person v0=3', {
      coordBins: 64,
    });
    expect(parsed.boxes).toEqual([{ x0: 5 / 63, y0: 2 / 63, x1: 1, y1: 5 / 63, label: 'dog' }]);
    expect(parsed.dropped.map((d) => d.reason)).toEqual([
      'incomplete box: 2 of 4 coordinates',
      'box without a class label',
      'incomplete box: 0 of 4 coordinates',
      'incomplete box: 1 of 4 coordinates',
    ]);
    expect(parsed.repaired).toBe(2);
  });

  it('returns nothing for empty output', () => {
    expect(parseDet('[S_1] [S_2]', { coordBins: 64 })).toEqual({ boxes: [], dropped: [], repaired: 0 });
  });

  it('rejects a missing bin count', () => {
    expect(() => serializeDet([], { coordBins: 0 })).toThrow(/coordBins/);
  });
});
