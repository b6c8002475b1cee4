import { describe, expect, test, vi } from 'vitest';

// close-guard.ts imports electron's dialog for the real prompt; the decision under test is pure.
vi.mock('electron', () => ({ dialog: {} }));
const { closePrompt, CloseGuard } = await import('../../../../main/windows/close-guard');

describe('closing a window with unsaved changes', () => {
  test('asks only when the document is dirty, naming it and saying the autosave is kept', () => {
    expect(closePrompt(undefined)).toBeNull();
    expect(closePrompt({ dirty: false, name: 'scene' })).toBeNull();
    const prompt = closePrompt({ dirty: true, name: 'scene' });
    expect(prompt?.message).toMatch(/“scene” has changes that are not saved/);
    expect(prompt?.detail).toMatch(/autosave is kept/);
    expect(prompt?.buttons).toEqual(['Close without saving', 'Cancel']);
    expect(closePrompt({ dirty: true, name: '' })?.message).toMatch(/“Untitled”/);
  });

  test('ignores malformed states from the renderer', () => {
    const guard = new CloseGuard();
    expect(() => guard.update(1, { dirty: 'yes', name: 3 })).not.toThrow();
    expect(() => guard.update(1, null)).not.toThrow();
  });
});
