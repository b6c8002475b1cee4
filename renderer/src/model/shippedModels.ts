// The model packages shipped with the app (models/zoo/<id>/manifest.json), bundled at build
// time so the editor opens without asking the host. Downloaded models will come from main.
import { documentManifestFromModel, type DocumentManifest } from '../document';
import { fsqModalities } from './fsq';

export interface ShippedModel {
  readonly id: string;
  readonly displayName: string;
  readonly manifest: DocumentManifest;
  /** Coordinate bins of the model's sequence modalities (boxes, palette). */
  readonly coordBins: number;
  /** Image layers whose tokenizer declares FSQ levels (manifest tokenizer.fsqLevels): "Faithful" token choice works on them. */
  readonly expectedCode: readonly string[];
}

const manifests = import.meta.glob<unknown>('../../../models/zoo/*/manifest.json', { eager: true, import: 'default' });

function field(json: unknown, key: string): unknown {
  return json && typeof json === 'object' && key in json ? (json as Record<string, unknown>)[key] : undefined;
}

/** Every shipped model whose manifest maps onto a document; broken ones are reported, not thrown. */
export function loadShippedModels(): { models: ShippedModel[]; problems: string[] } {
  const models: ShippedModel[] = [];
  const problems: string[] = [];
  for (const [path, json] of Object.entries(manifests)) {
    try {
      const manifest = documentManifestFromModel(json);
      const name = field(json, 'displayName');
      const bins = field(field(json, 'text'), 'coordBins');
      models.push({
        id: manifest.modelId,
        displayName: typeof name === 'string' ? name : manifest.modelId,
        manifest,
        coordBins: typeof bins === 'number' && Number.isInteger(bins) && bins >= 2 ? bins : 1000,
        expectedCode: fsqModalities(json),
      });
    } catch (error) {
      problems.push(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  models.sort((a, b) => a.id.localeCompare(b.id));
  return { models, problems };
}
