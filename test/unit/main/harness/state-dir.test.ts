import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { claimExactStateDir, claimStateDir, userStateBase } from '../../../../main/harness/state-dir';
import { tempDir } from '../project/fixtures';

test('the state folder is per user (their own state folder, never the shared temp folder)', () => {
  expect(userStateBase({}, '/home/ada', 'linux')).toBe('/home/ada/.local/state/4m-studio/harness');
  expect(userStateBase({ XDG_STATE_HOME: '/x' }, '/home/ada', 'linux')).toBe('/x/4m-studio/harness');
  expect(userStateBase({ LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' }, 'C:\\Users\\ada', 'win32')).toMatch(/4M Studio.harness$/);
  expect(userStateBase({}, '/Users/ada', 'darwin')).toBe('/Users/ada/Library/Application Support/4M Studio/harness');
});

test('one folder per project folder and per running instance; a stale lock is taken over', async () => {
  const base = tempDir('4m-state-base-');
  const alive = new Set<number>();
  const isAlive = (pid: number): boolean => alive.has(pid);
  const first = await claimStateDir(base, '/projects/a', isAlive);
  expect(statSync(first.dir).mode & 0o777).toBe(0o700);
  // Same process again: it still holds the lock. Pretend another live process holds it.
  writeFileSync(join(first.dir, 'instance.lock'), '999999');
  alive.add(999999);
  const second = await claimStateDir(base, '/projects/a', isAlive);
  expect(second.dir).toBe(`${first.dir}-2`);
  const other = await claimStateDir(base, '/projects/b', isAlive);
  expect(other.dir).not.toBe(first.dir);
  await expect(claimExactStateDir(first.dir, isAlive)).rejects.toThrow(/another running harness uses the state folder/);
  alive.clear(); // that harness died: its folder (and autosave) is ours to recover
  const again = await claimStateDir(base, '/projects/a', isAlive);
  expect(again.dir).toBe(first.dir);
  expect(readFileSync(join(again.dir, 'instance.lock'), 'utf8')).toBe(String(process.pid));
  await again.release();
  expect(existsSync(join(again.dir, 'instance.lock'))).toBe(false);
});
