import { describe, expect, it } from 'vitest';
import { samConditionText, withSamConditionText } from '../../../../../models/engine/generate/official-sam-condition';
import type { OfficialModel } from '../../../../../models/engine/generate/official-model';
import type { GenerationRequest } from '../../../../../preload/contract/generation';

// Checks that fail before the tokenizer runs: a stand-in model is enough (the encode itself is covered
// by test/unit/main/model-slot-official.test.ts and the engine's parity test).
const model = { dir: '/m', fm: {}, text: {}, samInstance: {} } as unknown as OfficialModel;
const painting = (size: number, paint: (x: number, y: number) => number[] | undefined) => {
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) data.set(paint(x, y) ?? [0, 0, 0, 255], (y * size + x) * 4);
  return { width: size, height: size, data };
};

describe('the Objects (SAM) layer as a condition', () => {
  it('names the layer and what is missing or wrong', async () => {
    const ok = painting(224, (x, y) => (x > 20 && x < 60 && y > 20 && y < 60 ? [200, 10, 10, 255] : undefined));
    await expect(samConditionText({ ...model, samInstance: undefined }, ok)).rejects.toThrow('Objects (SAM): as a condition it needs the SAM-instance tokenizer folder (tokenizers/sam-instance_1k_64/ in /m)');
    await expect(samConditionText({ ...model, text: undefined }, ok)).rejects.toThrow("Objects (SAM): SAM instances are text to the model; it needs 4M's WordPiece file");
    await expect(samConditionText(model, painting(112, () => undefined))).rejects.toThrow('Objects (SAM): a 112×112 picture; the objects are read on the 224×224 picture');
    await expect(samConditionText(model, painting(224, () => undefined))).rejects.toThrow('Objects (SAM): no objects: every pixel is black or transparent');
    const speck = painting(224, (x, y) => (x > 20 && x < 60 && y > 20 && y < 60 ? [200, 10, 10, 255] : x === 100 && y === 100 ? [10, 10, 200, 255] : undefined));
    await expect(samConditionText(model, speck)).rejects.toThrow('Objects (SAM): the object in #0a0ac8: the mask is a line (1×1 px)');
  });

  it('leaves a request without a picture for sam_instance as it is', async () => {
    const request = { version: 1, modelId: 'm', seed: 1, cfgGrowConditioning: true, inputs: { sam_instance: { kind: 'text', text: 'point v0=1 v1=2 none' } }, targets: [] } as unknown as GenerationRequest;
    const requests = [request, { ...request, seed: 2 }];
    expect(await withSamConditionText(model, requests, () => Promise.reject(new Error('not called')))).toBe(requests);
  });
});
