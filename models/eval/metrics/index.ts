export { meanIoU, objectKindAccuracy, pixelAccuracy } from './segmentation';
export { absRel, delta1 } from './depth';
export { meanAngularErrorDeg, psnr } from './image';
export { kindRecall } from './caption';
export { colourNameOf, kindColourHits, pixelsNamed, regionMean, MIN_REGION_PIXELS, type NamedObject, type Rgb } from './colour';
export { regionCoherence, share, type Coherence, type Tally } from './coherence';
export { frechetDistance, gaussianOf, symmetricEigen, type Gaussian } from './distance';
export { nearestVisibleFill, randomKeepMask } from './inpaint';
export { boxClassShare, boxHits, MIN_BOX_SHARE, type LabelledBox } from './boxes';
