// Generate pressed again on the same layers with the same settings and a fixed seed makes the
// same picture again (the request is a full fingerprint: image inputs go by their content hash).
// The job still runs, as asked; the panel says why the picture will not change.
import type { GenerationRequest } from '../../../preload/contract/generation';

export const REPEAT_NOTE = 'Same layers, settings and seed as the run before, so the same picture. For another, tick “random seed” or change the seed (Advanced).';

/** The request's fingerprint: equal fingerprints make equal pictures. */
export function runFingerprint(request: GenerationRequest): string {
  return JSON.stringify(request);
}
