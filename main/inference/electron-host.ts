import { MessageChannelMain, utilityProcess, type UtilityProcess, type WebContents } from 'electron';
import type { FromHost } from '../../preload/contract/jobs';
import { MainEvents } from '../../preload/contract/channels';
import { hostArgs, type HostConfig } from './host/config';
import { HostSupervisor, describeExit, type HostProcess } from './supervisor';

/** Where the host's output and main's supervision events go (rotating files under userData/logs). */
export interface InferenceLogging {
  readonly logsDir: string;
  mainLog(text: string): void;
  hostLog(text: string): void;
}

/** The inference host as an Electron utilityProcess, wired to one window by a MessagePort. */
class UtilityHost implements HostProcess {
  readonly process: UtilityProcess;

  constructor(entry: string, config: HostConfig, contents: WebContents, logging?: InferenceLogging) {
    // Started from a desktop icon nobody sees stderr: the host's output goes to its log file.
    this.process = utilityProcess.fork(entry, hostArgs(config), {
      serviceName: '4M Studio inference',
      stdio: logging ? 'pipe' : 'inherit',
    });
    if (logging) {
      this.process.stdout?.on('data', (chunk: Buffer | string) => logging.hostLog(String(chunk)));
      this.process.stderr?.on('data', (chunk: Buffer | string) => logging.hostLog(String(chunk)));
    }
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

export function createInferenceService(entry: string, config: HostConfig, logging?: InferenceLogging): InferenceService {
  let target: WebContents | undefined;
  const supervisor = new HostSupervisor<UtilityHost>({
    spawn: () => {
      if (!target) throw new Error('inference host started before a window connected');
      const host = new UtilityHost(entry, config, target, logging);
      logging?.mainLog(`inference host started (pid ${host.pid ?? '?'})`);
      return host;
    },
    onExit: (reason, restarting) => {
      logging?.mainLog(`${reason}${restarting ? '; restarting it' : '; giving up after repeated crashes'}`);
      if (target && !target.isDestroyed()) {
        // The badge shows this; when the host stays down, it says where to look.
        const told = !restarting && logging ? `${reason}. Details are in the log files in ${logging.logsDir}` : reason;
        const message: FromHost = { type: 'host-exited', reason: told, restarting };
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
