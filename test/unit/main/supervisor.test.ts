import { expect, test } from 'vitest';
import { HostSupervisor, type HostProcess } from '../../../main/inference/supervisor';

class FakeHost implements HostProcess {
  static nextPid = 1;
  readonly pid = FakeHost.nextPid++;
  #exit: ((reason: string) => void) | undefined;
  kill(): void {
    this.#exit?.('killed');
  }
  onExit(listener: (reason: string) => void): void {
    this.#exit = listener;
  }
  crash(): void {
    this.#exit?.('the inference host exited with code 1');
  }
}

test('restarts a crashed host and reports why; gives up after repeated crashes', () => {
  const exits: Array<[string, boolean]> = [];
  const supervisor = new HostSupervisor({ spawn: () => new FakeHost(), onExit: (r, s) => exits.push([r, s]), maxCrashes: 2, backoffMs: () => 0 });
  const first = supervisor.start();
  first.crash();
  expect(exits).toEqual([['the inference host exited with code 1', true]]);
  expect(supervisor.current?.pid).not.toBe(first.pid);
  supervisor.current?.crash();
  supervisor.current?.crash();
  expect(exits.at(-1)).toEqual(['the inference host exited with code 1', false]);
  expect(supervisor.current).toBeUndefined();
});

test('a deliberate restart or stop is not reported as a crash', () => {
  const exits: string[] = [];
  const supervisor = new HostSupervisor({ spawn: () => new FakeHost(), onExit: (r) => exits.push(r) });
  supervisor.start();
  supervisor.restart();
  supervisor.stop();
  expect(exits).toEqual([]);
});

test('a crash loop backs off: the first restart is immediate, later ones wait longer; stop cancels a pending restart', async () => {
  const { defaultBackoffMs } = await import('../../../main/inference/supervisor');
  expect([1, 2, 3, 4, 5, 9].map(defaultBackoffMs)).toEqual([0, 500, 1000, 2000, 4000, 8000]);
  const waits: number[] = [];
  const supervisor = new HostSupervisor({ spawn: () => new FakeHost(), onExit: () => undefined, backoffMs: (n) => (waits.push(n), n === 1 ? 0 : 30) });
  supervisor.start().crash();
  expect(supervisor.current).toBeDefined(); // at once
  supervisor.current?.crash();
  expect(supervisor.current).toBeUndefined(); // waiting
  await new Promise((r) => setTimeout(r, 60));
  expect(supervisor.current).toBeDefined();
  supervisor.current?.crash();
  supervisor.stop();
  await new Promise((r) => setTimeout(r, 60));
  expect(supervisor.current).toBeUndefined();
  expect(waits).toEqual([1, 2, 3]);
});
