import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { atomicWrite, crashBackupsOf } from '../../../../main/project/atomic-write';
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
    const [backup] = await crashBackupsOf(path);
    expect(readFileSync(backup!, 'utf8')).toBe('old');
    await atomicWrite(path, new TextEncoder().encode('newer'));
    expect(readFileSync(path, 'utf8')).toBe('newer');
    expect(readdirSync(dir)).toEqual(['a.4mproj']);
  }, 30_000);

  test('the previous version is kept as a hidden backup until the new one is in place', async () => {
    const dir = tempDir();
    const path = join(dir, 'a.4mproj');
    writeFileSync(path, 'old');
    const crash = atomicWrite(path, new TextEncoder().encode('new'), {
      async beforeRename() {
        const [backup] = await crashBackupsOf(path);
        expect(readFileSync(backup!, 'utf8')).toBe('old');
        throw new Error('simulated crash before rename');
      },
    });
    await expect(crash).rejects.toThrow('simulated crash');
    expect(readFileSync(path, 'utf8')).toBe('old');
    const [backup] = await crashBackupsOf(path);
    expect(readFileSync(backup!, 'utf8')).toBe('old');

    await atomicWrite(path, new TextEncoder().encode('new'));
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(existsSync(backup!)).toBe(false); // dropped once the new file is in place
    expect(readdirSync(dir)).toEqual(['a.4mproj']);
  });

  test('keeps the file\'s permissions', async () => {
    const dir = tempDir();
    const path = join(dir, 'a.4mproj');
    writeFileSync(path, 'old');
    chmodSync(path, 0o600);
    await atomicWrite(path, new TextEncoder().encode('new'));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    chmodSync(path, 0o664); // wider than the usual umask allows a new file
    await atomicWrite(path, new TextEncoder().encode('newer'));
    expect(statSync(path).mode & 0o777).toBe(0o664);
  });

  test('never removes a .bak it did not make, nor a temp file of another running writer', async () => {
    const dir = tempDir();
    const path = join(dir, 'a.4mproj');
    writeFileSync(path, 'old');
    writeFileSync(join(dir, 'a.4mproj.bak'), 'the user\'s own backup');
    const othersTemp = join(dir, '.a.4mproj.424242-abcd.tmp'); // another instance, mid-write
    const deadTemp = join(dir, '.a.4mproj.535353-abcd.tmp'); // a writer that crashed
    writeFileSync(othersTemp, 'theirs');
    writeFileSync(deadTemp, 'stale');
    await atomicWrite(path, new TextEncoder().encode('new'), { isAlive: (pid) => pid === 424242 });
    expect(readFileSync(join(dir, 'a.4mproj.bak'), 'utf8')).toBe('the user\'s own backup');
    expect(existsSync(othersTemp)).toBe(true);
    expect(existsSync(deadTemp)).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('new');
  });

  test('a rename refused for a moment (EPERM/EBUSY from a scanner) is retried; a lasting one fails cleanly', async () => {
    const dir = tempDir();
    const path = join(dir, 'a.4mproj');
    writeFileSync(path, 'old');
    let tries = 0;
    const flaky = async (from: string, to: string): Promise<void> => {
      if (++tries <= 2) throw Object.assign(new Error('busy'), { code: tries === 1 ? 'EPERM' : 'EBUSY' });
      const { rename } = await import('node:fs/promises');
      await rename(from, to);
    };
    await atomicWrite(path, new TextEncoder().encode('new'), { rename: flaky });
    expect(tries).toBe(3);
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['a.4mproj']);

    const locked = async (): Promise<void> => {
      throw Object.assign(new Error('locked'), { code: 'EBUSY' });
    };
    await expect(atomicWrite(path, new TextEncoder().encode('newer'), { rename: locked })).rejects.toMatchObject({ code: 'EBUSY' });
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  }, 20_000);

  test('a missing folder fails without creating anything', async () => {
    const dir = tempDir();
    await expect(atomicWrite(join(dir, 'nope', 'a.4mproj'), Uint8Array.of(1))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
