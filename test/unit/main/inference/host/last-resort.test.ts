import { EventEmitter } from 'node:events';
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { logUnhandledRejections } from '../../../../../main/inference/host/last-resort';

describe('logUnhandledRejections', () => {
  test('logs the rejection with its stack and keeps listening', () => {
    const target = new EventEmitter();
    const lines: string[] = [];
    logUnhandledRejections(target as unknown as NodeJS.Process, (line) => lines.push(line));
    target.emit('unhandledRejection', new Error('release failed'));
    target.emit('unhandledRejection', 'a bare string');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/nobody handled \(kept running\): Error: release failed/);
    expect(lines[1]).toMatch(/a bare string\n$/);
  });

  test('a real Node process with the handler outlives a stray rejection (without it, Node exits 1)', () => {
    // The handler's body, as main.ts installs it, in a child process: the process must reach its timer.
    const script = (install: boolean) => `
      ${install ? "process.on('unhandledRejection', (r) => process.stderr.write('logged: ' + r.message + '\\n'));" : ''}
      Promise.reject(new Error('stray'));
      setTimeout(() => process.stdout.write('still running'), 50);`;
    const withHandler = spawnSync(process.execPath, ['-e', script(true)], { encoding: 'utf8' });
    expect(withHandler.status).toBe(0);
    expect(withHandler.stdout).toBe('still running');
    expect(withHandler.stderr).toMatch(/logged: stray/);
    const without = spawnSync(process.execPath, ['-e', script(false)], { encoding: 'utf8' });
    expect(without.status).toBe(1);
  });
});
