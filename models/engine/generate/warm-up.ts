/**
 * Warm-up: one small pass through every graph a request can touch, so the
 * first real request does not pay for ORT's lazy kernel setup and allocator
 * growth (the user's first preview should come as fast as later ones).
 */
import { emptyImageTarget, emptySequenceTarget, fullImageInput, sentinel, type GenerationState } from '../../sampling';
import type { EngineModel } from './engine-model';
import { decodeTokens } from './image-codec';

export async function warmUp(model: EngineModel): Promise<void> {
  const images = model.manifest.modalities.filter((m) => m.type === 'img');
  for (const m of model.manifest.modalities) {
    // Condition on some other image modality (any will do for warming kernels).
    const cond = images.find((c) => c.name !== m.name);
    if (!cond || cond.type !== 'img') continue;
    const state: GenerationState = {
      [cond.name]: fullImageInput(new Int32Array(cond.grid[0] * cond.grid[1])),
      [m.name]: m.type === 'img' ? emptyImageTarget(m.grid[0] * m.grid[1]) : emptySequenceTarget(m.maxLength, model.vocab),
    };
    if (m.type === 'img') await model.runner.imageLogits([{ state, target: m.name, positions: Int32Array.of(0, 1) }]);
    else {
      // Two tokens: the incremental decoder's first step (empty cache) and a later one differ in shapes.
      const s1 = sentinel(model.vocab, 1);
      for (const prefix of [Int32Array.of(s1), Int32Array.of(s1, s1)]) await model.runner.sequenceLogits([{ state, target: m.name, prefix }]);
    }
  }
  for (const m of images) if (m.type === 'img') await decodeTokens(model, m, new Int32Array(m.grid[0] * m.grid[1]));
}
