import { describe, expect, it } from 'vitest';
import { colourNameOf, kindColourHits, kindColourObjects, MIN_REGION_PIXELS, regionMean, type Rgb } from '../../../../../models/eval/metrics';
import type { RgbaImage } from '../../../../../models/tokenizers/image';

// The world's base colours (fourm_recipe/world/scene.py COLORS), as the held-out set's scenes.json carries them.
const NAMED: Record<string, Rgb> = {
  red: [0.8, 0.12, 0.1],
  orange: [0.92, 0.45, 0.08],
  yellow: [0.9, 0.8, 0.12],
  green: [0.15, 0.62, 0.2],
  cyan: [0.12, 0.7, 0.75],
  blue: [0.12, 0.25, 0.85],
  purple: [0.5, 0.18, 0.7],
  white: [0.88, 0.88, 0.86],
};
const CLASSES = ['sky', 'ground', 'sphere', 'cube', 'cylinder', 'cone'];

const base = (name: string, shade = 1): Rgb => {
  const c = NAMED[name] as Rgb;
  return [c[0] * 255 * shade, c[1] * 255 * shade, c[2] * 255 * shade];
};

describe('colourNameOf', () => {
  it.each(Object.keys(NAMED))('names the base colour %s, also in shade', (name) => {
    expect(colourNameOf(base(name), NAMED)).toBe(name);
    expect(colourNameOf(base(name, 0.6), NAMED)).toBe(name);
  });

  // Means drawn at random; names from the recipe's color_name_of (fourm_recipe/fm/evaluate.py) on the same values.
  it.each([
    [[21.8, 60.4, 204.3], 'blue'],
    [[148.5, 24.0, 110.4], 'purple'],
    [[29.0, 99.8, 131.8], 'cyan'],
    [[109.8, 149.6, 188.1], 'white'],
    [[177.5, 74.6, 0.4], 'orange'],
    [[248.2, 76.1, 80.1], 'red'],
    [[227.4, 149.2, 120.2], 'white'],
    [[60, 60, 60], 'white'],
  ] as [Rgb, string][])('names %j %s, as the recipe does', (mean, name) => {
    expect(colourNameOf(mean, NAMED)).toBe(name);
  });
});

/** A w×1 image and class map: each pixel gets a colour and a class. */
function scene(pixels: { rgb: Rgb; cls: number }[]): { rgb: RgbaImage; classMap: Uint8Array } {
  return {
    rgb: { width: pixels.length, height: 1, data: Uint8Array.from(pixels.flatMap((p) => [...p.rgb.map(Math.round), 255])) },
    classMap: Uint8Array.from(pixels.map((p) => p.cls)),
  };
}

describe('regionMean', () => {
  it('averages the RGB of one class', () => {
    const s = scene([
      { rgb: [10, 20, 30], cls: 2 },
      { rgb: [30, 40, 50], cls: 2 },
      { rgb: [255, 255, 255], cls: 0 },
    ]);
    expect(regionMean(s.rgb, s.classMap, 2)).toEqual({ mean: [20, 30, 40], pixels: 2 });
    expect(regionMean(s.rgb, s.classMap, 5).pixels).toBe(0);
  });
});

describe('kindColourHits', () => {
  const region = (n: number, rgb: Rgb, cls: number) => Array.from({ length: n }, () => ({ rgb, cls }));

  it('hits an object whose kind region is big enough and in its colour', () => {
    const s = scene([...region(MIN_REGION_PIXELS, base('red', 0.7), 3), ...region(30, base('blue'), 2), ...region(5, base('green'), 5)]);
    const objects = [
      { kind: 'cube', color: 'red' }, // enough pixels, red → hit
      { kind: 'sphere', color: 'yellow' }, // blue region → miss
      { kind: 'cone', color: 'green' }, // only 5 pixels → miss
      { kind: 'cylinder', color: 'red' }, // absent → miss
    ];
    expect(kindColourHits(s.rgb, s.classMap, objects, CLASSES, NAMED)).toEqual([true, false, false, false]);
  });

  it('finds two objects of one kind in different colours (a mean of the shared region names neither)', () => {
    const s = scene([...region(30, base('red'), 3), ...region(30, base('blue'), 3)]);
    const objects = [
      { kind: 'cube', color: 'red' },
      { kind: 'cube', color: 'blue' },
      { kind: 'cube', color: 'green' },
    ];
    expect(kindColourHits(s.rgb, s.classMap, objects, CLASSES, NAMED)).toEqual([true, true, false]);
  });

  it('needs at least MIN_REGION_PIXELS pixels', () => {
    const s = scene(region(MIN_REGION_PIXELS - 1, base('red'), 3));
    expect(kindColourHits(s.rgb, s.classMap, [{ kind: 'cube', color: 'red' }], CLASSES, NAMED)).toEqual([false]);
  });

  it('rejects a kind that is not a class', () => {
    const s = scene(region(1, base('red'), 3));
    expect(() => kindColourHits(s.rgb, s.classMap, [{ kind: 'torus', color: 'red' }], CLASSES, NAMED)).toThrow(/torus/);
  });
});

describe('kindColourObjects (the strict caption verdict)', () => {
  const sphere = CLASSES.indexOf('sphere');
  const cube = CLASSES.indexOf('cube');
  const run = (n: number, cls: number, colour: (i: number) => Rgb) => Array.from({ length: n }, (_, i) => ({ rgb: colour(i), cls }));
  const sky = { rgb: [120, 170, 230] as Rgb, cls: 0 };

  it('passes a patch of the kind that is mostly the named colour, shading included', () => {
    const s = scene([...run(30, sphere, (i) => base('red', i % 3 === 0 ? 0.6 : 1)), sky]);
    expect(kindColourObjects(s.rgb, s.classMap, [{ kind: 'sphere', color: 'red' }], CLASSES, NAMED)).toEqual([true]);
  });

  it('fails confetti that the pixel vote passes: 20 red pixels inside a multicoloured blob', () => {
    const colours = ['red', 'green', 'blue', 'yellow'];
    const s = scene(run(80, cube, (i) => base(colours[i % 4] as string)));
    const objects = [{ kind: 'cube', color: 'red' }];
    expect(kindColourHits(s.rgb, s.classMap, objects, CLASSES, NAMED)).toEqual([true]);
    expect(kindColourObjects(s.rgb, s.classMap, objects, CLASSES, NAMED)).toEqual([false]);
  });

  it('counts patches apart: two objects of one kind in two colours both pass; a speck does not', () => {
    const s = scene([...run(25, sphere, () => base('red')), sky, ...run(25, sphere, () => base('blue')), sky, ...run(MIN_REGION_PIXELS - 1, cube, () => base('green'))]);
    expect(
      kindColourObjects(s.rgb, s.classMap, [{ kind: 'sphere', color: 'red' }, { kind: 'sphere', color: 'blue' }, { kind: 'cube', color: 'green' }], CLASSES, NAMED),
    ).toEqual([true, true, false]);
  });

  it('rejects an unknown kind and a class map of the wrong size', () => {
    const s = scene([sky]);
    expect(() => kindColourObjects(s.rgb, s.classMap, [{ kind: 'torus', color: 'red' }], CLASSES, NAMED)).toThrow(/torus/);
    expect(() => kindColourObjects(s.rgb, new Uint8Array(3), [], CLASSES, NAMED)).toThrow(/class map/);
  });
});
