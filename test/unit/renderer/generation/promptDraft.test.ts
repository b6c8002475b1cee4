import { describe, expect, test } from 'vitest';
import { createDocument, DocumentStore, paintPixels, setLayerProps } from '../../../../renderer/src/document';
import { applyTask, readiness } from '../../../../renderer/src/generation/intent';
import { promptEdit, withPromptDraft } from '../../../../renderer/src/generation/promptDraft';
import { testManifest } from '../document/fixtures';

const rec = (s: DocumentStore, u: Parameters<DocumentStore['apply']>[0]): void => s.apply(u, { history: 'record' });
const label = (id: string): string => id.toUpperCase();
const store = (): DocumentStore => new DocumentStore(createDocument(testManifest()));

describe('the prompt as one step', () => {
  test('the text, and an ignored caption made a condition when another layer is generated', () => {
    const s = store();
    rec(s, setLayerProps(s.state, 'rgb', { role: 'generate' }));
    const edit = promptEdit(s.state, 'caption', 'a red cube');
    expect(edit?.label).toBe('Edit prompt');
    rec(s, edit!);
    expect(s.state.layers.get('caption')?.role).toBe('condition');
    expect(s.state.layers.get('caption')?.content).toEqual({ kind: 'text', text: 'a red cube' });
    expect(promptEdit(s.state, 'caption', 'a red cube')).toBeNull(); // nothing changes
  });

  test('nothing generated, or blank text: the role is left alone', () => {
    const s = store();
    rec(s, promptEdit(s.state, 'caption', 'a red cube')!);
    expect(s.state.layers.get('caption')?.role).toBe('ignore');
    rec(s, setLayerProps(s.state, 'rgb', { role: 'generate' }));
    rec(s, promptEdit(s.state, 'caption', '   ')!);
    expect(s.state.layers.get('caption')?.role).toBe('ignore');
    expect(promptEdit(s.state, 'nope', 'x')).toBeNull();
  });
});

describe('readiness while the prompt is typed', () => {
  test('Caption → picture with a description typed but not yet committed is ready, not "Caption is empty"', () => {
    const s = store();
    rec(s, applyTask(s.state, 'caption'));
    expect(readiness(s.state, label).blocked).toMatch(/^CAPTION is empty/);
    const typed = withPromptDraft(s.state, 'caption', 'a red sphere on the ground');
    expect(readiness(typed, label)).toEqual({ blocked: null, emptyConditions: [] });
    // Only read: the document itself still holds the empty caption, and nothing was recorded.
    expect(s.state.layers.get('caption')?.content).toEqual({ kind: 'text', text: '' });
    expect(s.state.layers.get('caption')?.sync).toBe('empty');
    expect(s.canUndo).toBe(true);
    expect(s.undoLabel).toBe('Task: Caption → picture');
    // Blank typing is still empty.
    expect(readiness(withPromptDraft(s.state, 'caption', '  '), label).blocked).toMatch(/^CAPTION is empty/);
  });

  test('a prompt typed beside an empty sketch counts as it will once committed (a condition that says something)', () => {
    const s = store();
    rec(s, applyTask(s.state, 'sketch'));
    expect(readiness(s.state, label).blocked).toMatch(/^SEMSEG is empty/);
    const typed = readiness(withPromptDraft(s.state, 'caption', 'a red cube'), label);
    expect(typed).toEqual({ blocked: null, emptyConditions: ['semseg'] });
    expect(s.state.layers.get('caption')?.role).toBe('ignore');
  });

  test('a locked caption reads as the document is', () => {
    const s = store();
    rec(s, applyTask(s.state, 'caption'));
    rec(s, paintPixels(s.state, 'semseg', { x: 0, y: 0, w: 2, h: 2 }, new Uint8Array(4)));
    rec(s, setLayerProps(s.state, 'caption', { locked: true }));
    expect(withPromptDraft(s.state, 'caption', 'a red cube')).toBe(s.state);
  });
});
