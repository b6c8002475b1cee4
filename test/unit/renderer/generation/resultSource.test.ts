import { describe, expect, test } from 'vitest';
import { QUOTE_CHARS, resultSourceText } from '../../../../renderer/src/generation/resultSource';

const names: Record<string, string> = { 'tok_rgb@128': 'RGB', 'tok_semseg@128': 'Segmentation', caption: 'Caption', 'tok_depth@128': 'Depth' };
const label = (id: string): string => names[id] ?? id;
const target = (modality: string): Record<string, unknown> => ({ modality, scheme: 'roar', steps: 16 });
const pixels = { kind: 'image-pixels', ref: 'sha256:ab' };

describe('resultSourceText: what a gallery result was made from', () => {
  test('a sketch, a caption (quoted), both, and Photo → all layers', () => {
    expect(resultSourceText({ inputs: { 'tok_semseg@128': pixels }, targets: [target('tok_rgb@128')] }, label)).toBe('from Segmentation');
    expect(resultSourceText({ inputs: { caption: { kind: 'text', text: 'a red sphere' } }, targets: [target('tok_rgb@128')] }, label)).toBe('from “a red sphere”');
    expect(resultSourceText({ inputs: { 'tok_semseg@128': pixels, caption: { kind: 'text', text: ' two  cubes ' } }, targets: [target('tok_rgb@128')] }, label)).toBe('from Segmentation and “two cubes”');
    expect(resultSourceText({ inputs: { 'tok_rgb@128': pixels }, targets: [target('tok_depth@128'), target('caption')] }, label)).toBe('from RGB');
  });

  test('a long caption is cut with an ellipsis', () => {
    const text = 'a red sphere on the sand under a clear blue sky at noon, seen from above';
    const out = resultSourceText({ inputs: { caption: { kind: 'text', text } }, targets: [target('tok_rgb@128')] }, label);
    expect(out).toBe('from “a red sphere on the sand under a clear…”'); // at a word
    expect(out.length).toBeLessThanOrEqual('from “”'.length + QUOTE_CHARS);
    const word = 'x'.repeat(60);
    expect(resultSourceText({ inputs: { caption: { kind: 'text', text: word } }, targets: [target('tok_rgb@128')] }, label)).toBe(`from “${'x'.repeat(QUOTE_CHARS - 1)}…”`);
  });

  test('a region redone says so, with what steered it', () => {
    const req = { inputs: { 'tok_rgb@128': { ...pixels, keepMask: [1, 0, 1] }, caption: { kind: 'text', text: 'a cone' } }, targets: [target('tok_rgb@128')] };
    expect(resultSourceText(req, label)).toBe('region redone, from “a cone”');
    expect(resultSourceText({ inputs: { 'tok_rgb@128': { ...pixels, keepMask: [1, 0] } }, targets: [target('tok_rgb@128')] }, label)).toBe('region redone, from nothing (unconditional)');
  });

  test('no condition at all, and requests it cannot read (an older or damaged file) say nothing wrong', () => {
    expect(resultSourceText({ inputs: {}, targets: [target('tok_rgb@128')] }, label)).toBe('from nothing (unconditional)');
    expect(resultSourceText({ inputs: { caption: { kind: 'text', text: '   ' } }, targets: [target('tok_rgb@128')] }, label)).toBe('from Caption');
    for (const bad of [null, 3, 'x', [], {}, { inputs: {} }, { inputs: [], targets: [target('a')] }, { inputs: {}, targets: 'tok_rgb@128' }, { inputs: {}, targets: [{}] }]) {
      expect(resultSourceText(bad, label)).toBe('');
    }
  });
});
