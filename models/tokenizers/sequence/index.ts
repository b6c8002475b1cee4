export { readSpecialIds, countCoordBins, sentinelId, sentinelIndexOf, sentinelToken } from './vocabulary';
export type { SpecialIds, TokenLookup } from './vocabulary';
export { roundHalfEven } from './coordinates';
export { serializeDet, parseDet } from './det';
export type { DetBox, DetSerializeOptions, DroppedChunk, ParsedDet } from './det';
export { serializeColorPalette, parseColorPalette, MAX_PALETTE_COLORS } from './color-palette';
export type { Rgb, ParsedColorPalette } from './color-palette';
export { captionIds } from './caption';
export type { TextIdEncoder } from './caption';
export {
  buildEmptySequenceTarget,
  buildCustomText,
  sentinelsIn,
  nextUnusedSentinelId,
  splitBySentinel,
  mergeSentinelSpans,
} from './sentinels';
export type { SequenceSlots, CustomTextOptions, MergedSequence } from './sentinels';
