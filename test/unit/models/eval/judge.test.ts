/**
 * The committed judge (models/eval/judge): its ONNX graph loads through the engine's runtime and
 * reads a held-out real picture into the right classes, and its record is consistent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Judge, loadHeldoutScene, readHeldoutIndex } from '../../../../models/eval';
import { meanIoU, objectKindAccuracy } from '../../../../models/eval/metrics';

const HELDOUT_DIR = join(__dirname, '../../../fixtures/model/world-4m-small/heldout');

let judge: Judge;
beforeAll(async () => {
  judge = await Judge.open();
}, 60_000);
afterAll(async () => judge?.release());

describe('the judge', () => {
  // The shipped judge reads one-object scenes almost perfectly and crowded ones worse (mean mIoU 0.80
  // over the 50 scenes, kinds 0.86: below the 0.95 it is meant to reach; see models/recipe/README.md).
  it('reads held-out real pictures of single objects above 0.9 mIoU with the kind right, and ten scenes at its recorded level', async () => {
    const index = await readHeldoutIndex(HELDOUT_DIR);
    const ious: number[] = [];
    for (const name of index.scenes.slice(0, 10)) {
      const scene = await loadHeldoutScene(HELDOUT_DIR, index, name);
      const { classes, features } = await judge.read(scene.rgb);
      const iou = meanIoU(classes, scene.classes, index.classes.length);
      ious.push(iou);
      expect(features).toHaveLength(judge.info.featureDim);
      if (['0002', '0004', '0005', '0009'].includes(name)) {
        expect(iou, name).toBeGreaterThan(0.9);
        expect(objectKindAccuracy(classes, scene.classes), name).toBeGreaterThan(0.95);
      }
    }
    expect(ious.reduce((a, b) => a + b, 0) / ious.length).toBeGreaterThan(0.75);
  });

  it('records the classes of the world, its held-out scores and a full reference Gaussian', () => {
    expect(judge.info.classes).toEqual(['sky', 'ground', 'sphere', 'cube', 'cylinder', 'cone']);
    expect(judge.info.heldout.mIoU).toBeGreaterThanOrEqual(0.75);
    const d = judge.info.featureDim;
    expect(judge.info.reference.mean).toHaveLength(d);
    expect(judge.info.reference.cov).toHaveLength(d * d);
  });

  it('rejects a picture of the wrong size', async () => {
    await expect(judge.read({ width: 64, height: 64, data: new Uint8Array(64 * 64 * 4) })).rejects.toThrow(/reads 128×128/);
  });
});
