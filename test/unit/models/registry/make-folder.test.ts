import { mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeFolder, makeFolderSync } from '../../../../models/registry/make-folder';

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
