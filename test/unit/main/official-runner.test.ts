import { expect, test } from 'vitest';
import { wireImage } from '../../../main/inference/host/generate-runner';
import { StepCount } from '../../../main/inference/host/official-runner';
import { divaeImage } from '../../../models/engine/vq/official-divae-image';

test('progress over a chain of targets: earlier targets count in full, the current one by the sampler', () => {
  const steps = new StepCount([{ modality: 'a', steps: 8 }, { modality: 'caption', steps: 256 }]);
  expect(steps.at('a', 1, 8)).toEqual([1, 264]);
  expect(steps.at('a', 8, 8)).toEqual([8, 264]);
  // An autoregressive caption reports its own cap; an early [EOS] ends the job before the total.
  expect(steps.at('caption', 3, 40)).toEqual([11, 48]);
  expect(steps.at('unknown', 2, 4)).toEqual([2, 264]);
});

test('a decoded official depth travels as the grey layer the editor paints (255 = near), not the turbo display', () => {
  const values = Float32Array.from({ length: 16 }, (_, i) => i / 15);
  const wired = wireImage(divaeImage('depth', values, 1, 4, 4));
  const rgba = Buffer.from(wired.raster.rgba, 'base64');
  // The nearest value (lowest standardized depth) is white, the farthest black; R = G = B.
  expect(Array.from(rgba.subarray(0, 4))).toEqual([255, 255, 255, 255]);
  expect(Array.from(rgba.subarray(60, 64))).toEqual([0, 0, 0, 255]);
  for (let i = 0; i < 16; i++) expect(rgba[i * 4]).toBe(rgba[i * 4 + 2]);
});
