/**
 * `--out sam_instance=…`: what 4M-21's SAM instances are written as. A picture (.png, …): the
 * instances in a seeded palette over transparency; .json: the raw instances (box, the averaged 64×64
 * mask and the mask placed on the picture, both thresholded at 0.5 as row-major run lengths, and the
 * colour the picture paints it in); anything else: the text the model wrote.
 */
import { extname } from 'node:path';
import type { DecodedSamInstances } from '../engine/vq/official-sam-instance';
import { runLengths, samPalette } from '../tokenizers/image/sam-instances';

export type SamOutputKind = 'picture' | 'json' | 'text';

export function samOutputKind(file: string): SamOutputKind {
  const ext = extname(file).toLowerCase();
  return ext === '.json' ? 'json' : ['.png', '.webp', '.jpg', '.jpeg'].includes(ext) ? 'picture' : 'text';
}

export function samInstancesJson(decoded: DecodedSamInstances, text: string, paletteSeed = 0): unknown {
  const side = decoded.maskSide;
  const palette = samPalette(decoded.instances.length, paletteSeed);
  return {
    text,
    width: decoded.render.width,
    height: decoded.render.height,
    rle: 'row-major run lengths, starting with a run of 0s',
    instances: decoded.instances.map((inst, k) => {
      const placed = decoded.placed[k];
      return {
        box: inst.box,
        members: inst.members,
        color: palette[k],
        mask64: { width: side, height: side, counts: runLengths(Array.from(inst.probs, (p) => (p > 0.5 ? 1 : 0))) },
        placed: placed ? { x: placed.x, y: placed.y, width: placed.width, height: placed.height, counts: runLengths(placed.mask) } : null,
      };
    }),
    dropped: decoded.parsed.dropped,
  };
}
