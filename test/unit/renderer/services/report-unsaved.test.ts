import { afterEach, expect, test, vi } from 'vitest';
import { UnsavedState } from '../../../../preload/contract/window';
import { reportUnsaved } from '../../../../renderer/src/services/studio';

afterEach(() => vi.unstubAllGlobals());

test("the renderer reports a waiting result with the dirty state, in a shape main's close guard accepts", () => {
  const sent: unknown[] = [];
  vi.stubGlobal('window', { studio: { setUnsaved: (state: unknown) => sent.push(state) } });
  reportUnsaved({ dirty: false, waiting: true, name: 'scene' });
  // A name longer than the contract allows is cut, not sent whole (main would ignore the state and not ask).
  reportUnsaved({ dirty: true, waiting: false, name: 'n'.repeat(400) });
  expect(sent[0]).toEqual({ dirty: false, waiting: true, name: 'scene' });
  for (const state of sent) expect(UnsavedState.safeParse(state).success).toBe(true);
});

test('a no-op in the browser harness (no studio API)', () => {
  vi.stubGlobal('window', {});
  expect(() => reportUnsaved({ dirty: true, waiting: true, name: 'x' })).not.toThrow();
});
