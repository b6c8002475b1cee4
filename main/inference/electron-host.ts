import { MessageChannelMain, utilityProcess, type UtilityProcess, type WebContents } from 'electron';
import type { FromHost } from '../../preload/contract/jobs';
import { MainEvents } from '../../preload/contract/channels';
import { hostArgs, type HostConfig } from './host/config';
import { HostSupervisor, describeExit, type HostProcess } from './supervisor';

/** The inference host as an Electron utilityProcess, wired to one window by a MessagePort. */
class UtilityHost implements HostProcess {
  readonly process: UtilityProcess;

  constructor(entry: string, config: HostConfig, contents: WebContents) {
    this.process = utilityProcess.fork(entry, hostArgs(config), {
      serviceName: '4M Studio inference',
      stdio: 'inherit',
    });
    // Renderer and host talk directly; main never sees job traffic.
    const { port1, port2 } = new MessageChannelMain();
    this.process.postMessage(null, [port1]);
    contents.postMessage(MainEvents.inferencePort, null, [port2]);
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  kill(): void {
    this.process.kill();
  }

  onExit(listener: (reason: string) => void): void {
    this.process.once('exit', (code) => listener(describeExit(code, null)));
  }
}

export interface InferenceService {
  /** Starts (or replaces) the host for this window's renderer. */
  connect(contents: WebContents): void;
  stop(): void;
}

export function createInferenceService(entry: string, config: HostConfig): InferenceService {
  let target: WebContents | undefined;
  const supervisor = new HostSupervisor<UtilityHost>({
    spawn: () => {
      if (!target) throw new Error('inference host started before a window connected');
      return new UtilityHost(entry, config, target);
    },
    onExit: (reason, restarting) => {
      if (target && !target.isDestroyed()) {
        const message: FromHost = { type: 'host-exited', reason, restarting };
        target.send(MainEvents.hostExited, message);
      }
    },
  });
  return {
    connect(contents) {
      target = contents;
      // A reloaded renderer needs a fresh port; a fresh host is the simplest honest way.
      supervisor.restart();
    },
    stop: () => supervisor.stop(),
  };
}
