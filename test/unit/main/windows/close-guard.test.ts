import { describe, expect, test, vi } from 'vitest';

// close-guard.ts imports electron's dialog for the real prompt; the decision under test is pure.
vi.mock('electron', () => ({ dialog: {} }));
const { closePrompt, reloadPrompt, CloseGuard } = await import('../../../../main/windows/close-guard');

describe('closing a window with unsaved changes or a result waiting for Accept', () => {
  test('asks only when the document is dirty, naming it and saying the autosave is kept', () => {
    expect(closePrompt(undefined)).toBeNull();
    expect(closePrompt({ dirty: false, waiting: false, name: 'scene' })).toBeNull();
    const prompt = closePrompt({ dirty: true, waiting: false, name: 'scene' });
    expect(prompt?.message).toMatch(/“scene” has changes that are not saved/);
    expect(prompt?.detail).toMatch(/autosave is kept/);
    expect(prompt?.buttons).toEqual(['Close without saving', 'Cancel']);
    expect(closePrompt({ dirty: true, waiting: false, name: '' })?.message).toMatch(/“Untitled”/);
  });

  test('asks too when only a generated result waits (it is in no file and no autosave: closing lost it silently)', () => {
    const prompt = closePrompt({ dirty: false, waiting: true, name: 'scene' });
    expect(prompt?.message).toBe('“scene” has a generated result not yet accepted.');
    expect(prompt?.detail).toMatch(/is lost: it is in no file, not even the autosave\. Accept it first to keep it\./);
    expect(prompt?.buttons).toEqual(['Close and discard it', 'Cancel']);
    const both = closePrompt({ dirty: true, waiting: true, name: 'scene' });
    expect(both?.message).toBe('“scene” has changes that are not saved to its file, and a generated result not yet accepted.');
    expect(both?.detail).toMatch(/result waiting for Accept is lost.*Of the other changes, the latest autosave is kept/);
  });

  test('a reload asks for the same reasons and says what it discards', () => {
    expect(reloadPrompt({ dirty: false, waiting: false, name: 'scene' })).toBeNull();
    expect(reloadPrompt({ dirty: true, waiting: false, name: 'scene' })?.message).toBe('Reload and discard the unsaved changes of “scene”?');
    expect(reloadPrompt({ dirty: false, waiting: true, name: 'scene' })).toMatchObject({ message: 'Reload and discard the generated result not yet accepted of “scene”?', detail: expect.stringMatching(/in no file/) });
    expect(reloadPrompt({ dirty: true, waiting: true, name: 'scene' })?.message).toMatch(/the unsaved changes and the generated result not yet accepted/);
  });

  test('ignores malformed states from the renderer (a state without `waiting` too)', () => {
    const guard = new CloseGuard();
    expect(() => guard.update(1, { dirty: 'yes', name: 3 })).not.toThrow();
    expect(() => guard.update(1, null)).not.toThrow();
    expect(() => guard.update(1, { dirty: true, name: 'x' })).not.toThrow();
  });
});
