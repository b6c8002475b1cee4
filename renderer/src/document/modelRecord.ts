// Which model a document was made with: its id and the identity of its layout (canvas, token grid,
// layers and their kinds, segmentation class names). The project file records it (format 2), so
// opening a project can find its model, and tell when the installed model of that id lays out
// differently from the one the project was made with. Pure.
import type { DocumentManifest } from './manifest';
import { crc32 } from './project/crc32';
import { encodeUtf8 } from './project/utf8';

export interface ModelRecord {
  readonly id: string;
  /** `W×H/C×R/<crc32 of the layers>`: equal for two manifests whose documents hold the same layers. */
  readonly layout: string;
}

/**
 * The layout identity of a manifest. Class colours are not part of it (the model's colours win on
 * open, see adoptModel); class names are (a class id means its name), as are layer ids, kinds,
 * channels, their order, the canvas and the token grid.
 */
export function layoutIdentity(m: DocumentManifest): string {
  const layers = m.modalities.map((x) => [x.id, x.kind, x.channels ?? null, (x.classes ?? []).map((c) => c.name)]);
  const hash = crc32(encodeUtf8(JSON.stringify(layers))).toString(16).padStart(8, '0');
  return `${m.width}x${m.height}/${m.tokenCols}x${m.tokenRows}/${hash}`;
}

export function modelRecordOf(m: DocumentManifest): ModelRecord {
  return { id: m.modelId, layout: layoutIdentity(m) };
}
