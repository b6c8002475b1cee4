export { meanIoU, pixelAccuracy } from './segmentation';
export { absRel, delta1 } from './depth';
export { meanAngularErrorDeg, psnr } from './image';
export { kindRecall } from './caption';
export { colourNameOf, kindColourHits, pixelsNamed, regionMean, MIN_REGION_PIXELS, type NamedObject, type Rgb } from './colour';
