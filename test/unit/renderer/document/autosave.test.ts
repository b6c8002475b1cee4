import { describe, expect, it } from 'vitest';
import { CLEAN, decideRecovery, isAutosaveDue, markDirty, nextAutosaveAt } from '../../../../renderer/src/document/project/autosave';

const policy = { debounceMs: 2000, maxWaitMs: 30000 };

describe('autosave timing', () => {
  it('nothing to do when clean', () => {
    expect(nextAutosaveAt(CLEAN, policy)).toBeNull();
    expect(isAutosaveDue(1e9, CLEAN, policy)).toBe(false);
  });

  it('debounces after the last change', () => {
    let s = markDirty(CLEAN, 1000);
    s = markDirty(s, 1500);
    expect(nextAutosaveAt(s, policy)).toBe(3500);
    expect(isAutosaveDue(3499, s, policy)).toBe(false);
    expect(isAutosaveDue(3500, s, policy)).toBe(true);
  });

  it('saves within maxWait during continuous changes', () => {
    let s = markDirty(CLEAN, 0);
    for (let t = 500; t <= 40000; t += 500) s = markDirty(s, t);
    expect(nextAutosaveAt(s, policy)).toBe(30000);
  });
});

describe('recovery decision', () => {
  it('offers a newer autosave and never picks silently', () => {
    expect(decideRecovery({ mtimeMs: 100 }, { mtimeMs: 200 })).toEqual({ action: 'offer-recovery', reason: 'newer-than-save' });
    expect(decideRecovery(null, { mtimeMs: 200 })).toEqual({ action: 'offer-recovery', reason: 'never-saved' });
  });

  it('cleans up an autosave that is not newer, and opens normally without one', () => {
    expect(decideRecovery({ mtimeMs: 200 }, { mtimeMs: 200 })).toEqual({ action: 'delete-stale-autosave' });
    expect(decideRecovery({ mtimeMs: 300 }, { mtimeMs: 200 })).toEqual({ action: 'delete-stale-autosave' });
    expect(decideRecovery({ mtimeMs: 300 }, null)).toEqual({ action: 'open-project' });
  });
});
