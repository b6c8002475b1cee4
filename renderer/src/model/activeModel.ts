// Which model the editor lays its document out for: the one the inference host has open. A
// model package shipped with the app brings its manifest in the bundle; any other model (an
// official 4M folder) sends its layout with its status. While a switch loads or after it fails,
// the editor keeps what it shows. Pure, so every case is unit-tested.
import type { ModelStatus } from '../../../preload/contract/jobs';
import { documentManifestFromModel, type DocumentManifest } from '../document';

/** A model as the editor needs it (a ShippedModel is one; kept here so this stays free of the bundler's glob). */
export interface EditorModel {
  readonly id: string;
  readonly displayName: string;
  readonly manifest: DocumentManifest;
  /** Coordinate bins of the model's sequence modalities (boxes, palette). */
  readonly coordBins: number;
  /**
   * Image layers whose tokenizer declares its FSQ levels, so their tokens can be chosen at the
   * expected code ("Faithful"); none when absent. Official 4M tokenizers (VQ-VAE, DiVAE) declare none.
   */
  readonly expectedCode?: readonly string[];
  /** Picture layers go as pixels even when they hold tokens (the layout's picturesAsPixels: 4M's SR model at 448). */
  readonly picturesAsPixels?: boolean;
}

export function editorModelFor(status: ModelStatus | undefined, shipped: readonly EditorModel[], current: EditorModel | undefined): EditorModel | undefined {
  if (status?.state !== 'loaded') return current ?? shipped[0];
  if (status.layout) {
    if (current?.id === status.layout.id) return current;
    return { id: status.layout.id, displayName: status.displayName, manifest: documentManifestFromModel(status.layout), coordBins: 1000, expectedCode: [], ...(status.layout.picturesAsPixels ? { picturesAsPixels: true } : {}) };
  }
  // A package: its shipped manifest; one installed by the user lays out as the shipped model did.
  return shipped.find((m) => m.id === status.modelId) ?? (current && shipped.some((m) => m.id === current.id) ? current : shipped[0]);
}
