/**
 * Depth in metres → tokens, straight into the depth tokenizer's encoder graph.
 * The engine's encodeImage takes the 8-bit grey file convention, whose log-depth
 * steps (≈ 2 %) would dominate the tokenizer's own ≈ 2 % AbsRel; the recipe
 * encodes true metres, so this does too (the graph takes [1, 1, H, W] metres).
 */
import type { ImageModalitySpec } from '../registry';
import { type EngineModel } from '../engine/generate';
import { expectInt64, float32 } from '../engine/runtime';

export async function encodeDepthMetres(model: EngineModel, spec: ImageModalitySpec, depth: Float32Array, size: number): Promise<Int32Array> {
  if (spec.domain !== 'depth') throw new Error(`${spec.name} is not a depth modality`);
  if (depth.length !== size * size) throw new RangeError(`depth has ${depth.length} values, expected ${size}×${size}`);
  const session = await model.graph(spec.tokenizer.encoder);
  const out = await session.run({ [session.inputs[0]?.name ?? 'pixels']: float32(depth, [1, 1, size, size]) });
  const ids = expectInt64(out.ids, `${spec.tokenizer.encoder} ids`);
  return Int32Array.from(ids.data, (v) => Number(v));
}
