/**
 * The official segmentation palette (models/engine/vq/official-semseg-palette.ts): natural colours
 * where a class has an obvious one, every class its own colour, far enough apart that the editor's
 * nearest-colour reading (classMapFromRgba) takes each colour, and a soft brush edge, back to its class.
 */
import { describe, expect, it } from 'vitest';
import { COCO_PANOPTIC_CLASSES } from '../../../../../models/engine/vq/coco-panoptic-classes';
import { officialSemsegPalette, PALETTE_MIN_DISTANCE } from '../../../../../models/engine/vq/official-semseg-palette';
import { officialSemsegPalette as fromVqvae } from '../../../../../models/engine/vq/official-vqvae';
import { classMapFromRgba, nearestClass, type ClassColor } from '../../../../../models/tokenizers/image';

const palette = officialSemsegPalette();
const colourOf = (name: string): readonly [number, number, number] => (palette[COCO_PANOPTIC_CLASSES.indexOf(name) + 1] as ClassColor).color;
const dist = (a: readonly number[], b: readonly number[]): number => Math.hypot((a[0] as number) - (b[0] as number), (a[1] as number) - (b[1] as number), (a[2] as number) - (b[2] as number));

describe('officialSemsegPalette', () => {
  it('has void and the 133 COCO panoptic classes, each its own colour, every pair ≥ PALETTE_MIN_DISTANCE apart in RGB', () => {
    expect(palette).toHaveLength(134);
    expect(palette[0]).toEqual({ id: 0, color: [0, 0, 0] });
    let min = Infinity;
    for (let i = 0; i < palette.length; i++) for (let j = i + 1; j < palette.length; j++) min = Math.min(min, dist(palette[i]!.color, palette[j]!.color));
    console.log(`official semseg palette: min RGB distance ${min.toFixed(1)} over ${palette.length} classes`);
    expect(min).toBeGreaterThanOrEqual(PALETTE_MIN_DISTANCE);
    expect(fromVqvae()).toEqual(palette);
  });

  it('gives the obvious classes natural colours', () => {
    const [sr, sg, sb] = colourOf('sky-other-merged');
    expect(sb > sg && sg > sr && sr > 100).toBe(true); // light blue
    for (const green of ['grass-merged', 'tree-merged', 'potted plant']) {
      const [r, g, b] = colourOf(green);
      expect(g > r && g > b).toBe(true);
    }
    for (const water of ['water-other', 'sea', 'river']) {
      const [r, g, b] = colourOf(water);
      expect(b > g && b > r).toBe(true);
    }
    const [rr, rg, rb] = colourOf('road');
    expect(rr === rg && rg === rb).toBe(true); // grey
    expect(colourOf('snow').every((v) => v >= 240)).toBe(true);
    const [pr, pg, pb] = colourOf('person');
    expect(pr > pg && pg > pb).toBe(true); // warm, skin-toned
    const [ar, ag, ab] = colourOf('sand');
    expect(ar > ag && ag > ab && ab > 100).toBe(true); // beige
  });

  it('reads every colour, and a 30 % blend towards its nearest neighbour (a soft brush edge), back as its class', () => {
    const img = { width: palette.length, height: 1, data: new Uint8Array(palette.length * 4) };
    palette.forEach((c, i) => img.data.set([...c.color, 255], i * 4));
    expect(Array.from(classMapFromRgba(img, palette))).toEqual(palette.map((c) => c.id));
    for (const c of palette) {
      const other = palette.filter((k) => k.id !== c.id).reduce((a, b) => (dist(a.color, c.color) < dist(b.color, c.color) ? a : b));
      const mix = c.color.map((v, k) => Math.round(v + 0.3 * ((other.color[k] as number) - v))) as [number, number, number];
      expect(nearestClass(mix[0], mix[1], mix[2], palette)).toBe(c.id);
    }
  });

  it('more classes (a tokenizer with up to 255) keep the first 134 colours and stay distinct', () => {
    const wide = officialSemsegPalette(255);
    expect(wide.slice(0, 134)).toEqual(palette);
    expect(new Set(wide.map((c) => c.color.join(','))).size).toBe(255);
  });
});
