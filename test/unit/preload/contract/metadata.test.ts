import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  METADATA_PANEL_ORDER,
  METADATA_SPECS,
  metadataBin,
  metadataLevel,
  metadataProblem,
  metadataText,
  metadataValue,
  metadataValueText,
  parseMetadata,
  serializeMetadata,
} from '../../../../preload/contract/metadata';

/** Chunks the official MetadataTransform wrote (test/fixtures/official-metadata/make_reference.py, no shuffle). */
const REFERENCE = JSON.parse(readFileSync(join(__dirname, '../../../fixtures/official-metadata/reference.json'), 'utf8')) as { values: Record<string, number>; chunks: string[] }[];

describe('metadata bins', () => {
  test('by hand: ranges truncate t·(bins − 1), sizes divide by 32, counts stay, levels split at thresholds', () => {
    // 128 / 255 · 49 = 24.596… → 24; 40.5 / 150 · 49 = 13.23 → 13; the top of a range is the last bin.
    expect(metadataBin('brightness', 128)).toBe(24);
    expect(metadataBin('colorfulness', 40.5)).toBe(13);
    expect(metadataBin('contrast', 127)).toBe(49);
    expect(metadataBin('occlusion_score', 0.1)).toBe(19); // 0.4 · 49 = 19.6
    expect(metadataBin('original_width', 640)).toBe(20);
    expect(metadataBin('original_height', 479)).toBe(14);
    expect(metadataBin('n_humans', 3)).toBe(3);
    expect(metadataLevel('aesthetic_score', 4.49)).toBe(0);
    expect(metadataLevel('aesthetic_score', 4.5)).toBe(1);
    expect(metadataLevel('aesthetic_score', 5.5)).toBe(2);
    expect(metadataLevel('watermark_score', 0.5)).toBe(1);
  });

  test('the official MetadataTransform writes the same chunks for every reference case', () => {
    expect(REFERENCE.length).toBeGreaterThanOrEqual(7);
    for (const { values, chunks } of REFERENCE) {
      const user: Record<string, number> = {};
      for (const [type, v] of Object.entries(values)) user[type] = type === 'aesthetic_score' || type === 'watermark_score' ? metadataLevel(type, v) : v;
      // Ours lists chunks by type id; 4M shuffles them in training, so the set is what must match.
      const ours = serializeMetadata(user).replace(/ \[S_1\]$/, '').match(/v1=\d+ v0=\d+/g) ?? [];
      expect([...ours].sort()).toEqual([...chunks].sort());
    }
  });

  test('text: chunks by type id, then [S_1]; nothing set is empty text', () => {
    expect(serializeMetadata({ aesthetic_score: 2, brightness: 128, semantic_diversity: 2 })).toBe('v1=10 v0=24 v1=16 v0=2 v1=20 v0=2 [S_1]');
    expect(metadataText({})).toBe('');
  });

  test('out-of-range values and unknown types are refused with the property named', () => {
    expect(() => metadataBin('brightness', 256)).toThrow('Brightness: 256 is outside 0…255');
    expect(() => metadataBin('brightness', -1)).toThrow(/outside/);
    expect(() => metadataBin('n_humans', 1.5)).toThrow('People: 1.5 is not a whole number');
    expect(() => metadataBin('aesthetic_score', 3)).toThrow('Aesthetic score: 3 is outside a level 0…2 (low, mid, high)');
    expect(() => metadataBin('sharpness', 1)).toThrow(/"sharpness" is not a metadata property 4M knows/);
    expect(() => metadataText({ contrast: 50 })).toThrow('Contrast: bin 50 is outside 0…49');
  });
});

describe('reading metadata back', () => {
  test('a bin reads as the middle of its range (the last bin as vmax), and writes back to the same bin', () => {
    expect(metadataValue('brightness', 24)).toBeCloseTo((24.5 / 49) * 255, 10);
    expect(metadataValue('brightness', 49)).toBe(255);
    expect(metadataValue('original_width', 20)).toBe(640);
    for (const s of METADATA_SPECS) {
      for (let bin = 0; bin <= Math.min(s.maxBin, 60); bin++) expect(metadataBin(s.type, metadataValue(s.type, bin))).toBe(bin);
    }
    expect(metadataValueText('brightness', 24)).toBe('≈ 128') // 24.5 / 49 · 255 = 127.5;
    expect(metadataValueText('entropy', 10)).toBe('≈ 2.1');
    expect(metadataValueText('aesthetic_score', 2)).toBe('high');
    expect(metadataValueText('original_width', 20)).toBe('640–671 px');
  });

  test('parse: whole chunks in any order, sentinels skipped, the rest dropped with a reason', () => {
    const parsed = parseMetadata('[S_1] v1=20 v0=2 v1=10 v0=24 v1=25 v0=3 v1=11 v0=50 v1=10 v0=3 pose v1=16 [S_2]');
    expect(parsed.bins).toEqual({ aesthetic_score: 2, brightness: 24 });
    expect(parsed.dropped).toEqual([
      { text: 'v1=25 v0=3', reason: 'v1=25 is not a property 4M knows (v1=0…v1=20)' },
      { text: 'v1=11 v0=50', reason: 'Contrast takes v0=0…v0=49' },
      { text: 'v1=10 v0=3', reason: 'Brightness is given twice' },
      { text: 'pose', reason: 'not a v1=<property> token' },
      { text: 'v1=16', reason: 'no v0=<value> after it' },
    ]);
    expect(parseMetadata(serializeMetadata({ n_humans: 4, saturation: 200 })).bins).toEqual({ n_humans: 4, saturation: 38 });
  });

  test('the host check names the layer and the first bad chunk; good text passes', () => {
    expect(metadataProblem('v1=10 v0=24 [S_1]', 'Image controls')).toBeUndefined();
    expect(metadataProblem('v1=21 v0=0', 'Image controls')).toBe('Image controls: "v1=21 v0=0": v1=21 is not a property 4M knows (v1=0…v1=20)');
    expect(metadataProblem('v1=20 v0=3', 'Image controls')).toBe('Image controls: "v1=20 v0=3": Aesthetic score takes v0=0…v0=2');
  });

  test('the panel lists every property once', () => {
    expect([...METADATA_PANEL_ORDER].sort()).toEqual(METADATA_SPECS.map((s) => s.type).sort());
  });
});
