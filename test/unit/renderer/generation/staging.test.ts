import { describe, expect, test } from 'vitest';
import type { GalleryOutput } from '../../../../renderer/src/document';
import { currentItem, EMPTY_STAGING, showStaged, stagedContent, stagedLayers, stageItems, stepStaging, type StagedItem } from '../../../../renderer/src/generation/staging';

const out = (text: string): GalleryOutput => ({ content: { kind: 'text', text }, tokens: null });
const item = (seed: number, layers: Record<string, string>): StagedItem => ({
  label: 'Generate',
  request: { seed },
  seed,
  outputs: Object.fromEntries(Object.entries(layers).map(([id, t]) => [id, out(t)])),
  conditions: ['semseg'],
  problems: {},
});

describe('staging', () => {
  test('a job’s variations are staged with the first shown; arrows wrap around', () => {
    const s = stageItems(EMPTY_STAGING, [item(1, { rgb: 'a' }), item(2, { rgb: 'b' }), item(3, { rgb: 'c' })]);
    expect(currentItem(s)?.seed).toBe(1);
    expect(currentItem(stepStaging(s, 1))?.seed).toBe(2);
    expect(currentItem(stepStaging(s, -1))?.seed).toBe(3);
    expect(currentItem(stepStaging(stepStaging(stepStaging(s, 1), 1), 1))?.seed).toBe(1);
  });

  test('a variation’s thumbnail shows that variation; an index off the strip changes nothing', () => {
    const s = stageItems(EMPTY_STAGING, [item(1, { rgb: 'a' }), item(2, { rgb: 'b' }), item(3, { rgb: 'c' })]);
    expect(currentItem(showStaged(s, 2))?.seed).toBe(3);
    expect(showStaged(s, 3)).toBe(s);
    expect(showStaged(s, -1)).toBe(s);
    expect(showStaged(EMPTY_STAGING, 0)).toBe(EMPTY_STAGING);
  });

  test('a later job joins the strip and is shown; the canvas shows the shown item’s outputs only', () => {
    let s = stageItems(EMPTY_STAGING, [item(1, { rgb: 'a' })]);
    s = stageItems(s, [item(7, { depth: 'd', caption: 'c' })]);
    expect(s.items).toHaveLength(2);
    expect(currentItem(s)?.seed).toBe(7);
    expect(stagedLayers(s)).toEqual(['depth', 'caption']);
    expect([...stagedContent(s).keys()]).toEqual(['depth', 'caption']);
    expect(stagedContent(stepStaging(s, 1)).get('rgb')).toEqual({ kind: 'text', text: 'a' });
  });

  test('nothing staged: nothing shown, stepping is a no-op', () => {
    expect(currentItem(EMPTY_STAGING)).toBeUndefined();
    expect(stagedLayers(EMPTY_STAGING)).toEqual([]);
    expect(stepStaging(EMPTY_STAGING, 1)).toBe(EMPTY_STAGING);
    expect(stageItems(EMPTY_STAGING, [])).toBe(EMPTY_STAGING);
  });
});
