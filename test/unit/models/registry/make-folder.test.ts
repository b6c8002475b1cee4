import { mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { folderPlan, makeFolder, makeFolderSync, type FolderInfo } from '../../../../models/registry/make-folder';

const dir = mkdtempSync(join(tmpdir(), 'make-folder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('makeFolder (mkdir -p that fails instead of spinning)', () => {
  it('makes the missing folders, with their mode, and accepts one that exists', async () => {
    await makeFolder(join(dir, 'a', 'b', 'c'), { mode: 0o700 });
    expect(statSync(join(dir, 'a', 'b', 'c')).isDirectory()).toBe(true);
    if (process.platform !== 'win32') expect(statSync(join(dir, 'a', 'b')).mode & 0o777).toBe(0o700);
    await makeFolder(join(dir, 'a', 'b', 'c'));
    await makeFolder(dir);
  });

  it('refuses a file in the way, and a link to nowhere, with their fs codes', async () => {
    writeFileSync(join(dir, 'file'), 'x');
    await expect(makeFolder(join(dir, 'file'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    await expect(makeFolder(join(dir, 'file', 'below'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    if (process.platform === 'win32') return;
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
    await expect(makeFolder(join(dir, 'dangling', 'x'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it.skipIf(process.platform !== 'linux')('fails at once under /proc, where Node\'s recursive mkdir never returned', async () => {
    const started = performance.now();
    await expect(makeFolder('/proc/4m-studio-test/deeper')).rejects.toMatchObject({ code: expect.stringMatching(/^(ENOENT|EACCES)$/) });
    expect(performance.now() - started).toBeLessThan(1_000);
  }, 5_000);
});

describe('makeFolderSync (the same, for the rotating log)', () => {
  it('makes missing folders, accepts one that exists, refuses a file in the way', () => {
    makeFolderSync(join(dir, 's', 't'), { mode: 0o700 });
    expect(statSync(join(dir, 's', 't')).isDirectory()).toBe(true);
    makeFolderSync(join(dir, 's', 't'));
    writeFileSync(join(dir, 'sfile'), 'x');
    expect(() => makeFolderSync(join(dir, 'sfile', 'below'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  });

  it.skipIf(process.platform !== 'linux')('fails at once under /proc (a regression would hang this worker, not time out)', () => {
    const started = performance.now();
    expect(() => makeFolderSync('/proc/4m-studio-test/deeper')).toThrow(expect.objectContaining({ code: expect.stringMatching(/^(ENOENT|EACCES)$/) }));
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('folderPlan (the walk both drivers run, without I/O)', () => {
  const folder: FolderInfo = { isDirectory: () => true };
  const file: FolderInfo = { isDirectory: () => false };
  const at = (path: string): string => resolve(path);

  /** Runs the plan against a made-up disk, writing down the steps it asks for in order. */
  function run(path: string, disk: Map<string, FolderInfo>, asked: string[] = []): string[] {
    const plan = folderPlan(path);
    for (let step = plan.next(); !step.done; ) {
      asked.push(`${step.value.op} ${step.value.path}`);
      if (step.value.op === 'make') disk.set(step.value.path, folder);
      step = plan.next(step.value.op === 'make' ? undefined : disk.get(step.value.path));
    }
    return asked;
  }

  it('looks up to the first folder that exists, makes the missing ones top down, then checks the target', () => {
    expect(run('/a/b/c', new Map([[at('/a'), folder]]))).toEqual(
      [`look ${at('/a/b/c')}`, `look ${at('/a/b')}`, `look ${at('/a')}`, `make ${at('/a/b')}`, `make ${at('/a/b/c')}`, `check ${at('/a/b/c')}`],
    );
  });

  it('asks for nothing more when the folder exists', () => {
    expect(run('/a', new Map([[at('/a'), folder]]))).toEqual([`look ${at('/a')}`]);
  });

  it('refuses a file on the way before making anything', () => {
    const asked: string[] = [];
    expect(() => run('/a/f/x', new Map([[at('/a'), folder], [at('/a/f'), file]]), asked)).toThrow(expect.objectContaining({ code: 'ENOTDIR', path: at('/a/f') }));
    expect(asked).toEqual([`look ${at('/a/f/x')}`, `look ${at('/a/f')}`]);
  });

  it('refuses a file that took the target\'s place while the folders above were made', () => {
    const disk = new Map([[at('/a'), folder]]);
    const plan = folderPlan('/a/b');
    expect(plan.next().value).toEqual({ op: 'look', path: at('/a/b') });
    expect(plan.next(undefined).value).toEqual({ op: 'look', path: at('/a') });
    expect(plan.next(disk.get(at('/a'))).value).toEqual({ op: 'make', path: at('/a/b') });
    expect(plan.next().value).toEqual({ op: 'check', path: at('/a/b') });
    expect(() => plan.next(file)).toThrow(expect.objectContaining({ code: 'ENOTDIR', path: at('/a/b') }));
  });
});
