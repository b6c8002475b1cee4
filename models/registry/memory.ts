/**
 * Memory estimates before loading, so a model that cannot fit is refused with
 * a message (and a smaller model to try) instead of taking the machine down.
 * Pure: sizes in, verdict out. The factors are deliberately rough upper bounds.
 */
import type { ModelManifest } from './manifest';

/** ONNX Runtime, the tokenizers and the sampler's buffers on top of the weights. */
const RUNTIME_BYTES = 256 * 2 ** 20;

/** A converted package: graph weights live once in ORT (plus arena slack); float16 embedding tables are widened to float32. */
export function estimatePackageBytes(manifest: ModelManifest): number {
  let total = RUNTIME_BYTES;
  for (const [rel, f] of Object.entries(manifest.files)) {
    if (rel === manifest.fm.embeddings) total += f.bytes * 2;
    else if (rel.endsWith('.json')) total += f.bytes * 4;
    else total += f.bytes * 1.5;
  }
  return Math.round(total);
}

/** An official checkpoint of `parameters` values, run in float32 with activations at 224 px. */
export function estimateCheckpointBytes(parameters: number): number {
  return Math.round(parameters * 4 * 1.25 + 4 * RUNTIME_BYTES);
}

const gib = (n: number): string => `${(n / 2 ** 30).toFixed(1)} GiB`;

/** Why `needed` bytes will not fit in `available`, or undefined when they will. */
export function memoryRefusal(what: string, needed: number, available: number, smaller?: string): string | undefined {
  if (needed <= available) return undefined;
  const hint = smaller ? `use a smaller model such as ${smaller}, or close other programs` : 'close other programs or use a smaller model';
  return `${what} needs about ${gib(needed)} of memory to load, but only ${gib(available)} is available: ${hint}`;
}

/**
 * Memory a new model may use. Linux and Windows report available memory well; macOS counts
 * reclaimable cache as used, so there the bound is a share of the total.
 */
export function availableMemory(platform: NodeJS.Platform, free: number, total: number): number {
  return platform === 'darwin' ? Math.max(free, total * 0.7) : free;
}
