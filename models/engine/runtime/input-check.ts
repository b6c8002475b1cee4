/**
 * Checks feeds against a graph's declared inputs before ORT sees them, so a
 * wrong call fails with a sentence naming the graph, the input and what was
 * expected instead of an ORT stack trace from deep inside a kernel.
 */
import type { TensorData } from './tensors';
import { elementCount } from './tensors';

/** What a graph declares for one input; symbolic dims are strings. */
export interface DeclaredInput {
  readonly name: string;
  readonly type: string;
  readonly shape: readonly (number | string)[];
}

export class GraphInputError extends Error {
  override name = 'GraphInputError';
}

export function checkFeeds(graph: string, declared: readonly DeclaredInput[], feeds: Readonly<Record<string, TensorData>>): void {
  const names = new Set(declared.map((d) => d.name));
  for (const name of Object.keys(feeds)) {
    if (!names.has(name)) throw new GraphInputError(`${graph}: unknown input "${name}" (the graph takes ${[...names].join(', ')})`);
  }
  for (const d of declared) {
    const t = feeds[d.name];
    if (!t) throw new GraphInputError(`${graph}: input "${d.name}" is missing`);
    if (t.type !== d.type) throw new GraphInputError(`${graph}: input "${d.name}" is ${t.type}, expected ${d.type}`);
    if (t.dims.length !== d.shape.length) {
      throw new GraphInputError(`${graph}: input "${d.name}" has rank ${t.dims.length} [${t.dims.join(',')}], expected rank ${d.shape.length} [${d.shape.join(',')}]`);
    }
    d.shape.forEach((want, axis) => {
      if (typeof want === 'number' && want >= 0 && t.dims[axis] !== want) {
        throw new GraphInputError(`${graph}: input "${d.name}" axis ${axis} is ${t.dims[axis]}, expected ${want} (shape [${d.shape.join(',')}])`);
      }
    });
    if (elementCount(t.dims) !== t.data.length) {
      throw new GraphInputError(`${graph}: input "${d.name}" holds ${t.data.length} values but dims [${t.dims.join(',')}] need ${elementCount(t.dims)}`);
    }
  }
}
