import { GraphSession } from '../../../models/engine/runtime';
import type { FromHost } from '../../../preload/contract/jobs';
import { dirname, resolve } from 'node:path';
import { generateRunner } from './generate-runner';
import { serveHost, toJobError, type HostLink } from './host';
import { placeholderReliefRunner } from './placeholder-relief';

/**
 * Entry of the inference host process. The same file runs as an Electron
 * utilityProcess (messages over a MessagePort handed in by main) and as a
 * plain Node child_process.fork (messages over Node IPC) for the harness.
 * Inference blocks this process's event loop, never Electron main's.
 */

const MODEL_ENV = 'STUDIO_PLACEHOLDER_MODEL';
/** The 4M package for 'generate' jobs; by default the shipped one beside the placeholder in models/zoo. */
const MODEL_DIR_ENV = 'STUDIO_MODEL_DIR';

async function start(link: HostLink): Promise<void> {
  const modelPath = process.env[MODEL_ENV];
  if (!modelPath) throw new Error(`${MODEL_ENV} is not set; the supervisor must pass the model path`);
  const session = await GraphSession.open(modelPath);
  const { provider, skipped } = session.report;
  const modelDir = process.env[MODEL_DIR_ENV] ?? resolve(dirname(modelPath), '..', 'world-4m-small');
  // The 4M model loads on the first generate job, so the host is ready (and restarts) fast.
  serveHost(link, { 'placeholder.relief': placeholderReliefRunner(session) }, { provider, skipped: [...skipped] }, generateRunner(modelDir));
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
