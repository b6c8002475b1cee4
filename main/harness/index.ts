import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHarness } from './server';

/**
 * `npm run web`: the built app in any browser, on loopback, against the real
 * inference host running under plain Node. Built to out/main/harness.js.
 */
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const port = Number(process.env['PORT'] ?? 5780);

const harness = await startHarness({
  rendererDir: join(here, '..', 'renderer'),
  hostEntry: join(here, 'inference-host.js'),
  modelPath: join(root, 'models', 'zoo', 'placeholder', 'placeholder-relief.onnx'),
  port,
});
process.stdout.write(`4M Studio web harness: ${harness.url}\n(Ctrl+C to stop)\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void harness.close().then(() => process.exit(0)));
}
