import { expectFloat32, float32, type GraphSession } from '../../../models/engine/runtime';
import { decodeRgba, greyToRaster, rgbaToPlanarRgb } from './pixels';
import { throwIfCancelled, type JobRunner } from './runner';

/**
 * Runs the placeholder graph (models/zoo/placeholder/placeholder-relief.onnx):
 * next = 0.5 * box3x3(state) + 0.5 * (1 - luma(image)), iterated `steps` times
 * from state = 0. Each step is a real session.run, so progress, previews,
 * cancellation and host crashes are exercised exactly like a sampler loop.
 */
export function placeholderReliefRunner(session: GraphSession): JobRunner<'placeholder.relief'> {
  return async (request, { progress, signal }) => {
    const { width, height } = request.image;
    const image = rgbaToPlanarRgb(decodeRgba(request.image), width, height);
    let state: Float32Array = new Float32Array(width * height);
    for (let step = 1; step <= request.steps; step++) {
      throwIfCancelled(signal);
      const started = Date.now();
      const out = await session.run({
        image: float32(image, [1, 3, height, width]),
        state: float32(state, [1, 1, height, width]),
      });
      state = expectFloat32(out['next'], 'placeholder graph "next"').data;
      const last = step === request.steps;
      // Previews cost a base64 copy; send one every few steps, never the last (that is the result).
      const preview = !last && step % 4 === 0 ? greyToRaster(state, width, height) : undefined;
      progress(step, request.steps, preview);
      await pace(request.minStepMs - (Date.now() - started));
    }
    return greyToRaster(state, width, height);
  };
}

/** Yields to the event loop so cancel messages arrive, and paces steps if asked. */
function pace(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
