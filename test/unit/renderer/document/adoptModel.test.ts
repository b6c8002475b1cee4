import { describe, expect, it } from 'vitest';
import { adoptModel } from '../../../../renderer/src/document/adoptModel';
import { createDocument } from '../../../../renderer/src/document/create';
import type { DocumentManifest } from '../../../../renderer/src/document/manifest';
import { restoreProject, saveProject } from '../../../../renderer/src/document/project/index';
import { planeToRaster } from '../../../../renderer/src/generation/planes';
import { nearestClass } from '../../../../models/tokenizers/image/colormaps';
import { testManifest } from './fixtures';

/** The same model before its palette changed: "object" was a blue close to the sky's. */
function oldColours(m: DocumentManifest): DocumentManifest {
  return {
    ...m,
    modalities: m.modalities.map((x) =>
      x.kind === 'segmentation' ? { ...x, classes: x.classes?.map((c) => (c.name === 'object' ? { ...c, color: [20, 20, 230] as [number, number, number] } : c)) } : x,
    ),
  };
}

function segClasses(m: DocumentManifest) {
  return m.modalities.find((x) => x.kind === 'segmentation')?.classes ?? [];
}

describe('adoptModel', () => {
  const model = testManifest();

  it('gives a reopened project the model’s class colours and keeps its class map', () => {
    const old = createDocument(oldColours(model));
    const seg = old.layers.get('semseg');
    if (seg?.content.kind !== 'segmentation') throw new Error('fixture');
    seg.content.plane.data.fill(2);
    const adopted = adoptModel(old, model);
    expect(segClasses(adopted.manifest)).toEqual(segClasses(model));
    expect(adopted.layers).toBe(old.layers);
    // What the engine reads: the class map in the document's colours, mapped to the model's nearest class.
    const raster = planeToRaster(seg.content.plane, segClasses(adopted.manifest));
    const modelClasses = segClasses(model).map((c, id) => ({ id, color: c.color }));
    expect(nearestClass(raster.rgba[0] ?? 0, raster.rgba[1] ?? 0, raster.rgba[2] ?? 0, modelClasses)).toBe(2);
    // Without adoption the old colour is read as the sky: the bug this guards against.
    const stale = planeToRaster(seg.content.plane, segClasses(old.manifest));
    expect(nearestClass(stale.rgba[0] ?? 0, stale.rgba[1] ?? 0, stale.rgba[2] ?? 0, modelClasses)).toBe(0);
  });

  it('reopens a project file saved with the old colours in the model’s colours', () => {
    const old = createDocument(oldColours(model));
    const reopened = adoptModel(restoreProject(saveProject(old)), model);
    expect(segClasses(reopened.manifest)).toEqual(segClasses(model));
    // Saved again, the file carries the model's colours.
    expect(segClasses(restoreProject(saveProject(reopened)).manifest)).toEqual(segClasses(model));
  });

  it('returns the same document when nothing differs', () => {
    const doc = createDocument(model);
    expect(adoptModel(doc, model)).toBe(doc);
  });

  it('leaves another model’s document, or other classes, as the project says', () => {
    const other = createDocument({ ...oldColours(model), modelId: 'another-model' });
    expect(adoptModel(other, model)).toBe(other);
    const renamed = oldColours(model);
    const seg = renamed.modalities.find((x) => x.kind === 'segmentation');
    if (seg?.classes) seg.classes[2] = { name: 'tree', color: [20, 20, 230] };
    const doc = createDocument(renamed);
    expect(adoptModel(doc, model)).toBe(doc);
  });

  it('takes the model’s Objects (SAM) object limit (a project saved before the layout stated it has none)', () => {
    const sam = { id: 'sam_instance', kind: 'image' as const, channels: 3 as const };
    const installed = { ...model, modalities: [...model.modalities, { ...sam, maxObjects: 12 }] };
    const opened = adoptModel(createDocument({ ...model, modalities: [...model.modalities, sam] }), installed);
    expect(opened.manifest.modalities.find((x) => x.id === 'sam_instance')?.maxObjects).toBe(12);
    const same = createDocument(installed);
    expect(adoptModel(same, installed)).toBe(same);
  });
});
