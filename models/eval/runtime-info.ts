/** The inference runtime's name and version, for the report (read from its package.json, not imported). */
import { createRequire } from 'node:module';

export function runtimeLabel(): string {
  try {
    const require = createRequire(import.meta.url);
    const pkg = require('onnxruntime-node/package.json') as { version?: string };
    return `onnxruntime-node ${pkg.version ?? '(unknown version)'}`;
  } catch {
    return 'onnxruntime-node';
  }
}
