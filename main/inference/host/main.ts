import type { FromHost } from '../../../preload/contract/jobs';
import type { HostBackend } from './backend';
import { readHostConfig } from './config';
import { loadFixtureBackend } from './fixture';
import { logUnhandledRejections } from './last-resort';
import { serveHost, toJobError, type HostLink } from './host';
import { ModelSlot } from './model-slot';
import { RememberedModel } from './remembered-model';

/**
 * Entry of the inference host process. The same file runs as an Electron
 * utilityProcess (messages over a MessagePort handed in by main) and as a
 * plain Node child_process.fork (messages over Node IPC) for the harness.
 * Inference blocks this process's event loop, never Electron main's.
 */

async function start(link: HostLink): Promise<void> {
  const config = readHostConfig(process.argv);
  let backend: HostBackend;
  if (config.fixture) backend = await loadFixtureBackend(config.fixture);
  else {
    const remember = config.activeModelFile ? new RememberedModel(config.activeModelFile) : undefined;
    const slot = new ModelSlot(config.modelFolders, config.modelId, undefined, undefined, remember ? { remember } : {});
    backend = slot;
    // Open the model now (the one chosen last time, if any): the host answers at once ('ready',
    // model loading) and jobs wait for it.
    void slot.start();
  }
  serveHost(link, backend);
}

/** Electron utilityProcess: main posts one message carrying our MessagePort. */
function electronLink(parentPort: Electron.ParentPort): Promise<HostLink> {
  return new Promise((resolve) => {
    parentPort.once('message', (event) => {
      const port = event.ports[0];
      if (!port) throw new Error('inference host expected a MessagePort from main');
      port.start();
      resolve({
        send: (message: FromHost) => port.postMessage(message),
        onMessage: (listener) => port.on('message', (e) => listener(e.data)),
      });
    });
  });
}

/** Plain Node child process: the harness talks to us over process IPC. */
function nodeLink(): HostLink {
  // If the harness dies, nobody can reach us any more: leave instead of lingering.
  process.once('disconnect', () => process.exit());
  return {
    send: (message: FromHost) => process.send?.(message),
    onMessage: (listener) => process.on('message', listener),
  };
}

async function main(): Promise<void> {
  logUnhandledRejections(process, (line) => process.stderr.write(line));
  const link = process.parentPort ? await electronLink(process.parentPort) : nodeLink();
  try {
    await start(link);
  } catch (error) {
    // Tell the supervisor why, then exit non-zero so it can report and retry.
    const reason = toJobError(error, 'model-load');
    process.stderr.write(`inference host failed to start: ${reason.message}\n`);
    process.exitCode = 1;
    process.disconnect?.();
  }
}

void main();
