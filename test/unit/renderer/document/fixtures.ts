import type { DocumentManifest } from '../../../../renderer/src/document/manifest';

export function testManifest(width = 32, height = 32, cols = 4, rows = 4): DocumentManifest {
  return {
    modelId: 'test-model',
    width,
    height,
    tokenCols: cols,
    tokenRows: rows,
    modalities: [
      { id: 'rgb', kind: 'image', channels: 3 },
      { id: 'depth', kind: 'image', channels: 1, derivedFrom: ['rgb'] },
      {
        id: 'semseg',
        kind: 'segmentation',
        classes: [
          { name: 'sky', color: [0, 0, 255] },
          { name: 'ground', color: [0, 255, 0] },
          { name: 'object', color: [255, 0, 0] },
        ],
        derivedFrom: ['rgb'],
      },
      { id: 'det', kind: 'boxes' },
      { id: 'caption', kind: 'text' },
      { id: 'palette', kind: 'palette' },
    ],
  };
}

/** The test model with limits as 4M's SR model has them: boxes and caption only read, depth only written. */
export function limitedManifest(): DocumentManifest {
  const m = testManifest();
  const limits: Record<string, object> = { det: { canGenerate: false }, caption: { canGenerate: false }, depth: { canCondition: false } };
  return { ...m, modalities: m.modalities.map((x) => ({ ...x, ...limits[x.id] })) };
}

export function filled(length: number, value: number): Uint8Array {
  return new Uint8Array(length).fill(value);
}
