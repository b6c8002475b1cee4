import { fork, type ChildProcess } from 'node:child_process';
import { hostArgs, type HostConfig } from '../inference/host/config';
import { describeExit, type HostProcess } from '../inference/supervisor';

/** The inference host as a plain Node child process (harness transport). */
export class NodeHostProcess implements HostProcess {
  readonly child: ChildProcess;

  constructor(entry: string, config: HostConfig) {
    this.child = fork(entry, hostArgs(config), {
      serialization: 'json',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    // A send racing the host's exit reports here; without a listener it would kill the harness.
    this.child.on('error', (error) => process.stderr.write(`harness: inference host channel: ${error.message}\n`));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  send(message: unknown): void {
    if (this.child.connected) this.child.send(message as object);
  }

  onMessage(listener: (data: unknown) => void): void {
    this.child.on('message', listener);
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  onExit(listener: (reason: string) => void): void {
    this.child.once('exit', (code, signal) => listener(describeExit(code, signal)));
  }
}
