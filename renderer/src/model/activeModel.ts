// Which model the editor lays its document out for: the one the inference host has open. A
// model package shipped with the app brings its manifest in the bundle; any other model (an
// official 4M folder) sends its layout with its status. While a switch loads or after it fails,
// the editor keeps what it shows. Pure, so every case is unit-tested.
import type { ModelStatus } from '../../../preload/contract/jobs';
import { documentManifestFromModel } from '../document';
import type { ShippedModel } from './shippedModels';

export type EditorModel = ShippedModel;

export function editorModelFor(status: ModelStatus | undefined, shipped: readonly ShippedModel[], current: EditorModel | undefined): EditorModel | undefined {
  if (status?.state !== 'loaded') return current ?? shipped[0];
  if (status.layout) {
    if (current?.id === status.layout.id) return current;
    return { id: status.layout.id, displayName: status.displayName, manifest: documentManifestFromModel(status.layout), coordBins: 1000 };
  }
  // A package: its shipped manifest; one installed by the user lays out as the shipped model did.
  return shipped.find((m) => m.id === status.modelId) ?? (current && shipped.some((m) => m.id === current.id) ? current : shipped[0]);
}
