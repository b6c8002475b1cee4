// Pure tool maths: each raster tool returns a RasterEdit for paintPixels; none touches the document.
export type { RasterEdit } from './raster';
export { dabCoverage, dabRadius, dabsAlong, stampDab, type BrushSettings, type Dab } from './brush';
export { stampClassDab } from './classBrush';
export { floodFill } from './fill';
export { clampByte, linearGradient, stampDepthDab, type GradientStop } from './depth';
export { decodeNormal, encodeNormal, normalFromSpherePicker, spherePickerFromNormal, type Vec3 } from './normal';
export { boxFromDrag, hitTestBoxes, moveBox, newBoxLabel, relabelBox, replaceBox, resizeBox, type BoxHandle, type BoxHit, type BoxPart } from './boxes';
export { cellEdge, featherMask, snapMaskToTokens, tokenAtPixel, tokenMaskOutline, tokensToPixelMask, type GridSpec, type Segment } from './regionMask';
export { fillShape, snapShape, type Point, type Shape } from './shapes';
