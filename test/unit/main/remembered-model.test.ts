import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ModelSlot } from '../../../main/inference/host/model-slot';
import { ACTIVE_MODEL_FILE, RememberedModel } from '../../../main/inference/host/remembered-model';
import type { EngineModel } from '../../../models/engine/generate';
import type { ModelFolder } from '../../../models/registry/folders';

/**
 * The artist's model choice across restarts: active-model.json in the user data folder, read by
 * the host's model slot at start. The registry is real (the shipped package is found in
 * models/zoo); the engine load is a stand-in, since what is tested is which model opens and what
 * the status says, not the graphs (model-slot.test.ts opens them for real).
 */
const folders: ModelFolder[] = [{ path: resolve(import.meta.dirname, '../../../models/zoo'), origin: 'bundled' }];
const fakeLoad = async (): Promise<EngineModel> => ({ openAllGraphs: async () => [], provider: { provider: 'cpu', skipped: [] }, release: async () => undefined }) as unknown as EngineModel;
const dataDir = (): string => mkdtempSync(join(tmpdir(), '4m-remembered-'));

describe('remembered model', () => {
  test('a missing, malformed or foreign file is no choice; a write is read back; a failed write is ignored', () => {
    const dir = dataDir();
    const memory = RememberedModel.inDataDir(dir);
    expect(memory.file).toBe(join(dir, ACTIVE_MODEL_FILE));
    expect(memory.read()).toBeNull();
    writeFileSync(memory.file, '{ not json');
    expect(memory.read()).toBeNull();
    writeFileSync(memory.file, JSON.stringify({ format: '4m-studio.active-model/9', id: 'x', chosenAt: '' }));
    expect(memory.read()).toBeNull();
    memory.write({ id: '4M-21_B', displayName: '4M-21 B' }, '2026-12-07T12:00:00.000Z');
    expect(memory.read()).toEqual({ id: '4M-21_B', displayName: '4M-21 B' });
    expect(JSON.parse(readFileSync(memory.file, 'utf8'))).toEqual({ format: '4m-studio.active-model/1', id: '4M-21_B', displayName: '4M-21 B', chosenAt: '2026-12-07T12:00:00.000Z' });
    // Under a file, not a folder: cannot be written, and says nothing (using the model must not fail).
    expect(() => new RememberedModel(join(memory.file, 'sub', ACTIVE_MODEL_FILE)).write({ id: 'a', displayName: 'a' })).not.toThrow();
  });

  test.skipIf(process.platform !== 'linux')('a FIFO as the file is no choice, at once; a data folder under /proc is not written, at once (the host reads it at start, synchronously)', () => {
    const dir = dataDir();
    execFileSync('mkfifo', [join(dir, ACTIVE_MODEL_FILE)]);
    // In a child process with a time limit: a synchronous hang would block this test's own thread,
    // where no vitest timeout could end it.
    const module = resolve(import.meta.dirname, '../../../main/inference/host/remembered-model.ts');
    const script = `
      const { RememberedModel } = await import(${JSON.stringify(module)});
      const read = RememberedModel.inDataDir(${JSON.stringify(dir)}).read();
      new RememberedModel('/proc/4m-studio-test/${ACTIVE_MODEL_FILE}').write({ id: 'a', displayName: 'a' });
      const fresh = new RememberedModel(${JSON.stringify(join(dir, 'new', ACTIVE_MODEL_FILE))});
      fresh.write({ id: 'b', displayName: 'B' });
      console.log(JSON.stringify([read, fresh.read()]));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 15_000, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([null, { id: 'b', displayName: 'B' }]);
  }, 20_000);

  test('start opens the remembered model; an open the host is asked for is remembered once it opens', async () => {
    const memory = RememberedModel.inDataDir(dataDir());
    memory.write({ id: 'world-4m-small', displayName: 'World' });
    const slot = new ModelSlot(folders, 'world-4m-small', fakeLoad, undefined, { remember: memory });
    expect(slot.status().model).toEqual({ state: 'loading', modelId: 'world-4m-small' });
    await slot.start();
    expect(slot.status().model).toMatchObject({ state: 'loaded', modelId: 'world-4m-small' });
    expect(slot.status().model).not.toHaveProperty('notice');
    // A failed open request is not remembered; the previous choice stays.
    await slot.open('no-such-model');
    expect(slot.status().model.state).toBe('failed');
    expect(memory.read()?.id).toBe('world-4m-small');
  });

  test('a remembered model that is gone: the default opens, with a notice naming the model and why; the choice is kept', async () => {
    const memory = RememberedModel.inDataDir(dataDir());
    memory.write({ id: '4M-21-gone', displayName: '4M-21 (gone)' });
    const slot = new ModelSlot(folders, 'world-4m-small', fakeLoad, undefined, { remember: memory });
    const seen: string[] = [];
    slot.onChange(() => seen.push(`${slot.status().model.state} ${slot.status().model.modelId ?? ''}`));
    // Before anything loads, the host says which model it is opening: the remembered one.
    expect(slot.status().model).toEqual({ state: 'loading', modelId: '4M-21-gone' });
    await slot.start();
    expect(seen).toEqual(['loading 4M-21-gone', 'failed 4M-21-gone', 'loading world-4m-small', 'loaded world-4m-small']);
    const model = slot.status().model;
    if (model.state !== 'loaded') throw new Error(`expected loaded, got ${JSON.stringify(model)}`);
    expect(model.notice).toMatch(/^Could not reopen 4M-21 \(gone\) \("4M-21-gone"\), the model you used last time: Model "4M-21-gone" was not found\. Searched .*models\/zoo \(bundled\).*\. Using World 4M small instead; choose another in Models \(Ctrl\+Shift\+M\)\.$/);
    // Not a choice the artist made: the remembered one stays (it may come back, e.g. a drive plugged in).
    expect(memory.read()?.id).toBe('4M-21-gone');
    // The next explicit switch drops the notice and is remembered.
    await slot.open('world-4m-small');
    expect(slot.status().model).not.toHaveProperty('notice');
    expect(memory.read()).toEqual({ id: 'world-4m-small', displayName: 'World 4M small' });
  });

  test('without a memory the slot starts on its default, as before', async () => {
    const slot = new ModelSlot(folders, 'world-4m-small', fakeLoad);
    await slot.start();
    expect(slot.status().model).toMatchObject({ state: 'loaded', modelId: 'world-4m-small' });
  });
});
