import { createHash } from 'node:crypto';
import { open, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { makeFolder } from '../../models/registry/make-folder';
import { NotRegularFileError, readTextFile } from '../../models/registry/read-text';
import { processAlive } from '../project/process-alive';

/**
 * Where a harness keeps its recent list and autosave: under the user's own state folder
 * (never a shared temp folder another user could plant files in), one folder per project
 * folder, and per running instance: a second harness on the same project folder gets its own,
 * so neither offers the other's document for recovery.
 */
export function userStateBase(env: NodeJS.ProcessEnv, home: string, platform: NodeJS.Platform): string {
  if (platform === 'win32') return join(env['LOCALAPPDATA'] ?? join(home, 'AppData', 'Local'), '4M Studio', 'harness');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', '4M Studio', 'harness');
  return join(env['XDG_STATE_HOME'] || join(home, '.local', 'state'), '4m-studio', 'harness');
}

export interface ClaimedStateDir {
  readonly dir: string;
  /** Removes this instance's lock (on exit); the folder and its autosave stay for recovery. */
  release(): Promise<void>;
}

const LOCK = 'instance.lock';
const MAX_INSTANCES = 16;
/** A process id. */
const MAX_LOCK_BYTES = 64;

/** `isAlive(pid)`: whether a process holding a lock still runs (injected for tests). */
export async function claimStateDir(base: string, projectDir: string, isAlive: (pid: number) => boolean = processAlive): Promise<ClaimedStateDir> {
  const key = createHash('sha256').update(resolve(projectDir)).digest('hex').slice(0, 12);
  for (let n = 1; n <= MAX_INSTANCES; n++) {
    const dir = join(base, n === 1 ? key : `${key}-${n}`);
    const claimed = await claimDir(dir, isAlive);
    if (claimed) return claimed;
  }
  throw new Error(`${MAX_INSTANCES} harness instances already use ${projectDir}; stop one first`);
}

/** Locks one exact folder (STUDIO_STATE_DIR); fails clearly if another live instance holds it. */
export async function claimExactStateDir(dir: string, isAlive: (pid: number) => boolean = processAlive): Promise<ClaimedStateDir> {
  const claimed = await claimDir(dir, isAlive);
  if (!claimed) throw new Error(`another running harness uses the state folder ${dir}`);
  return claimed;
}

async function claimDir(dir: string, isAlive: (pid: number) => boolean): Promise<ClaimedStateDir | undefined> {
  await makeFolder(dir, { mode: 0o700 });
  const lock = join(dir, LOCK);
  const mine = String(process.pid);
  try {
    const handle = await open(lock, 'wx', 0o600);
    await handle.writeFile(mine);
    await handle.close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const held = await readTextFile(lock, MAX_LOCK_BYTES).catch((e: unknown) => {
      // A pipe there would make the write below wait forever.
      if (e instanceof NotRegularFileError) throw new Error(`${lock}: ${e.message}; remove it`);
      return '';
    });
    const holder = Number(held.trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) return undefined;
    await writeFile(lock, mine, { mode: 0o600 }); // stale: its harness is gone
  }
  return {
    dir,
    release: async () => {
      const holder = (await readTextFile(lock, MAX_LOCK_BYTES).catch(() => '')).trim();
      if (holder === mine) await unlink(lock).catch(() => undefined);
    },
  };
}
