import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { atomicWrite, backupPathOf } from '../../../../main/project/atomic-write';
import { tempDir } from './fixtures';

const root = resolve(import.meta.dirname, '..', '..', '..', '..');

describe('atomicWrite', () => {
  test('creates a new file and leaves no temp or backup behind', async () => {
    const dir = tempDir();
    const path = join(dir, 'a.4mproj');
    await atomicWrite(path, Uint8Array.of(1, 2, 3));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(['a.4mproj']);
  });

  test('replaces an existing file', async () => {
    const dir = tempDir();
    const path = join(dir, 'a.4mproj');
    writeFileSync(path, 'old');
    await atomicWrite(path, new TextEncoder().encode('new'));
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['a.4mproj']);
  });

  test('a failure between write and rename leaves the old file intact and removes the temp', async () => {
    const dir = tempDir();
    const path = join(dir, 'a.4mproj');
    writeFileSync(path, 'old');
    let temp = '';
    const crash = atomicWrite(path, new TextEncoder().encode('new'), {
      afterTempWritten(t) {
        temp = t;
        expect(readFileSync(t, 'utf8')).toBe('new'); // the new bytes were fully written first
        throw new Error('simulated crash');
      },
    });
    await expect(crash).rejects.toThrow('simulated crash');
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(existsSync(temp)).toBe(false);
  });

  test('a process killed between write and rename leaves the old file intact; the next write cleans up', async () => {
    const dir = tempDir();
    const path = join(dir, 'a.4mproj');
    writeFileSync(path, 'old');
    // A real crash: a child process SIGKILLs itself with the temp and the .bak written, before the rename.
    const script = [
      `import { atomicWrite } from ${JSON.stringify(join(root, 'main/project/atomic-write.ts'))};`,
      `await atomicWrite(${JSON.stringify(path)}, new TextEncoder().encode('new'), { beforeRename: () => process.kill(process.pid, 'SIGKILL') });`,
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(child.signal).toBe('SIGKILL');
    expect(readFileSync(path, 'utf8')).toBe('old');
    const leftovers = readdirSync(dir).filter((n) => n.endsWith('.tmp'));
    expect(leftovers).toHaveLength(1); // the killed write's temp, complete but never renamed
    expect(readFileSync(backupPathOf(path), 'utf8')).toBe('old');
    await atomicWrite(path, new TextEncoder().encode('newer'));
    expect(readFileSync(path, 'utf8')).toBe('newer');
    expect(readdirSync(dir)).toEqual(['a.4mproj']);
  }, 30_000);

  test('the previous version is kept as .bak until the new one is in place', async () => {
    const dir = tempDir();
    const path = join(dir, 'a.4mproj');
    writeFileSync(path, 'old');
    const crash = atomicWrite(path, new TextEncoder().encode('new'), {
      beforeRename() {
        expect(readFileSync(backupPathOf(path), 'utf8')).toBe('old');
        throw new Error('simulated crash before rename');
      },
    });
    await expect(crash).rejects.toThrow('simulated crash');
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readFileSync(backupPathOf(path), 'utf8')).toBe('old');

    await atomicWrite(path, new TextEncoder().encode('new'));
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(existsSync(backupPathOf(path))).toBe(false); // dropped once the new file is in place
  });

  test('a missing folder fails without creating anything', async () => {
    const dir = tempDir();
    await expect(atomicWrite(join(dir, 'nope', 'a.4mproj'), Uint8Array.of(1))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
