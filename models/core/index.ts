/** models/core: dependency-free maths shared by the ML layers. */
export type { Rng } from './rng';
export { createRng, deriveRng, hashLabel } from './rng';
export { argmax, logSoftmaxInto, rowMax, softmax, softmaxInto } from './softmax';
export { applyTopK, applyTopP, kthLargest, resolveTopK } from './filter';
export type { SampledToken, SamplingSettings } from './sample';
export { GREEDY_TEMPERATURE_EPS, multinomial, sampleToken, SamplingScratch } from './sample';
export { CodeLattice } from './expected-code';
export { NeighbourPrior } from './neighbour-prior';
