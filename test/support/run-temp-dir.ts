import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest global set-up: every temporary folder a test run makes (its own, the harness's, Chromium's
 * profiles, child processes') goes under one folder that is removed when the run ends. Tests made
 * hundreds of MiB of packages and upscaled pictures per run and left them in the system's temporary
 * folder, which filled small CI disks. FOURM_KEEP_TEST_TEMP=1 keeps the folder to look into.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), '4m-test-run-'));
  // Workers and child processes start after this and inherit it, so os.tmpdir() answers root.
  for (const name of ['TMPDIR', 'TMP', 'TEMP']) process.env[name] = root;
  return () => {
    if (process.env['FOURM_KEEP_TEST_TEMP'] === '1') {
      console.log(`test temporary files kept in ${root}`);
      return;
    }
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
}
