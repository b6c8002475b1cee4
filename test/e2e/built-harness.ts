import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '..', '..');
/** What `npm run web` runs; `npm test` builds it before the e2e suite. */
export const BUILT_HARNESS = join(repoRoot, 'out', 'main', 'harness.js');

export interface BuiltHarnessOptions {
  /** Save As / Open folder (STUDIO_PROJECT_DIR); a fresh temp folder by default. */
  projectDir?: string;
  /** Recent list and autosave (STUDIO_STATE_DIR); a fresh temp folder by default. */
  stateDir?: string;
  /** false: no file channel (STUDIO_FILES=off), the renderer saves by download. Default true. */
  files?: boolean;
  env?: Record<string, string>;
}

export interface BuiltHarness {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  readonly projectDir: string;
  readonly stateDir: string;
  /** Everything the harness printed so far (stdout and stderr). */
  output(): string;
  /** The current inference host's pid, from the harness's own "host started" log line. */
  hostPid(): number | undefined;
  /** Waits until the harness reports a host other than `previous` started. */
  nextHostPid(previous: number | undefined, timeoutMs?: number): Promise<number>;
  /** Resident memory of the harness process (bytes), from /proc. */
  rss(): number;
  alive(): boolean;
  close(): Promise<void>;
}

/**
 * Starts the BUILT harness (`node out/main/harness.js`, exactly what `npm run web` runs) as its
 * own process on a free port, so the e2e suite tests the bundle users run, not the sources.
 */
export async function startBuiltHarness(options: BuiltHarnessOptions = {}): Promise<BuiltHarness> {
  if (!existsSync(BUILT_HARNESS)) throw new Error(`${BUILT_HARNESS} is missing: run \`npm run build\` first`);
  const projectDir = options.projectDir ?? mkdtempSync(join(tmpdir(), '4m-e2e-projects-'));
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), '4m-e2e-state-'));
  // A fresh user data folder unless the test names one: the model remembered from the developer's
  // own sessions (active-model.json) and their installed models never reach a test.
  const dataDir = options.env?.['FOURM_STUDIO_DATA_DIR'] ?? mkdtempSync(join(tmpdir(), '4m-e2e-data-'));
  const child = spawn(process.execPath, [BUILT_HARNESS], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', STUDIO_PROJECT_DIR: projectDir, STUDIO_STATE_DIR: stateDir, FOURM_STUDIO_DATA_DIR: dataDir, ...(options.files === false ? { STUDIO_FILES: 'off' } : {}), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  let exited = false;
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  child.once('exit', () => (exited = true));

  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`the built harness did not start in 30 s:\n${log}`)), 30_000);
    const check = (): void => {
      const match = /http:\/\/127\.0\.0\.1:\d+\//.exec(log);
      if (match) {
        clearTimeout(timer);
        done(match[0]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`the built harness exited (${signal ?? code}) before listening:\n${log}`));
    });
  });

  const hostPid = (): number | undefined => {
    const all = [...log.matchAll(/inference host started \(pid (\d+)\)/g)];
    const last = all.at(-1);
    return last ? Number(last[1]) : undefined;
  };

  return {
    url,
    port: Number(new URL(url).port),
    process: child,
    projectDir,
    stateDir,
    output: () => log,
    hostPid,
    async nextHostPid(previous, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const pid = hostPid();
        if (pid !== undefined && pid !== previous) return pid;
        if (Date.now() > until) throw new Error(`no new inference host within ${timeoutMs} ms:\n${log}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    rss() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
      return kb * 1024;
    },
    alive: () => !exited && child.exitCode === null && child.signalCode === null,
    async close() {
      if (exited) return;
      const gone = new Promise<void>((done) => child.once('exit', () => done()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
