export { loadEngineModel, modalityForDomain, type EngineModel, type GraphReport, type LoadModelOptions } from './engine-model';
export { encodeImage, decodeTokens } from './image-codec';
export { generate, type GenerateOptions, type GenerateResult, type StepPreview, type StepProgress } from './generate';
export { generateVariations, type VariationsOptions } from './variations';
export { initialState, planRequest, RequestError, type PixelResolver } from './request-state';
export { decodeOutput, visibleSequence, type GeneratedOutput } from './outputs';
export { warmUp } from './warm-up';
export * from './official-model';
