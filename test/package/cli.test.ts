import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { expect, test } from 'vitest';

/** The `4m` command as it ships: plain JavaScript built to out/cli/4m.mjs, run by node alone (no tsx). */
const root = resolve(import.meta.dirname, '..', '..');
const cli = join(root, 'out', 'cli', '4m.mjs');
/**
 * Runs the CLI without blocking this worker: a spawnSync of a minute-long generate on a loaded machine
 * starved vitest's worker RPC ("Timeout calling onTaskUpdate") although every test passed.
 */
const run = (args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> =>
  new Promise((done) => {
    execFile(process.execPath, [cli, ...args], { cwd: tmpdir(), encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
      done({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });

test('prints its usage, and generates with the default model found by the registry', async () => {
  const help = await run(['--help']);
  expect(help.status).toBe(0);
  expect(help.stdout).toMatch(/4m generate \[--model <id\|dir>\]/);
  const out = join(mkdtempSync(join(tmpdir(), '4m-cli-')), 'rgb.png');
  const gen = await run(['generate', '--in', 'caption=a red sphere', '--out', `rgb=${out}`, '--steps', '2', '--quiet']);
  expect(gen.stderr).toBe('');
  expect(gen.status).toBe(0);
  expect((await sharp(out).metadata()).width).toBe(128);
  const missing = await run(['generate', '--model', 'nope', '--in', 'caption=x', '--out', `rgb=${out}`]);
  expect(missing.status).toBe(2);
  expect(missing.stderr).toMatch(/^4m: --model nope: Model "nope" was not found\. Searched .*models[/\\]zoo \(bundled\)/);
}, 120_000);
