import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { RotatingLog } from '../../../../main/logging/rotating-log';
import { tempDir } from '../project/fixtures';

test('appends stamped lines and rotates past the size limit, keeping a few generations', () => {
  const dir = join(tempDir('4m-logs-'), 'logs');
  const log = new RotatingLog(dir, 'host', { maxBytes: 200, keep: 2, now: () => new Date('2026-11-29T12:00:00Z') });
  log.write('host', 'inference host started\n');
  expect(readFileSync(join(dir, 'host.log'), 'utf8')).toBe('2026-11-29T12:00:00.000Z [host] inference host started\n');
  expect(statSync(dir).mode & 0o777).toBe(0o700);
  for (let i = 0; i < 40; i++) log.write('host', `line ${i} ${'x'.repeat(20)}`);
  expect(readdirSync(dir).sort()).toEqual(['host.1.log', 'host.2.log', 'host.log']);
  for (const name of readdirSync(dir)) expect(statSync(join(dir, name)).size).toBeLessThanOrEqual(200);
  expect(readFileSync(join(dir, 'host.log'), 'utf8')).toMatch(/line 39/);
  log.write('host', '   \n'); // blank output is not logged
});

test('never throws, even when the folder cannot be written', () => {
  const file = join(tempDir('4m-logs-'), 'a-file');
  writeFileSync(file, 'not a folder');
  const log = new RotatingLog(join(file, 'logs'), 'main'); // a folder under a file: ENOTDIR
  expect(() => log.write('main', 'hello')).not.toThrow();
});
