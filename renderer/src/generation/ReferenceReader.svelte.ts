// Sets a picture reference layer from a picture: the open model reads the picture's 16 global
// tokens (one 'generate' job on the host, reference.ts builds it), and the layer takes them with a
// thumbnail of the picture in one undoable step. The picture is the RGB layer's, or a file fitted
// to the canvas as imports are.
import { setReference, type Plane } from '../document';
import type { EditorState } from '../state/EditorState.svelte';
import { domainOf, layerLabel } from '../model/layerLabels';
import { importImageFile } from '../project/importImage';
import type { GenerationClient } from './generationClient';
import { referenceIds, referenceRequest, thumbnailOf } from './reference';

export class ReferenceReader {
  /** The reference layer being read, while its job runs. */
  busy = $state<string | null>(null);

  constructor(
    private readonly editor: EditorState,
    private readonly client: GenerationClient,
    /** The open model's id: a document laid out for another model is not sent to it. */
    private readonly modelId: string,
  ) {}

  /** The RGB layer, when the document has one with a picture in it. */
  get rgb(): { id: string; plane: Plane } | null {
    void this.editor.revision;
    const layer = [...this.editor.store.state.layers.values()].find((l) => domainOf(l.id) === 'rgb');
    if (!layer || layer.sync === 'empty' || layer.content.kind !== 'image') return null;
    return { id: layer.id, plane: layer.content.plane };
  }

  async fromRgb(layerId: string): Promise<void> {
    const rgb = this.rgb;
    if (!rgb) {
      this.editor.fail(new Error(`${layerLabel(layerId)}: the RGB layer is empty; paint or import a picture first`));
      return;
    }
    await this.#read(layerId, rgb.plane, 'the RGB layer');
  }

  async fromFile(layerId: string, file: File): Promise<void> {
    const m = this.editor.manifest;
    try {
      const img = await importImageFile(file, m.width, m.height, 3, 'crop');
      await this.#read(layerId, img.plane, file.name);
    } catch (error) {
      this.editor.fail(error);
    }
  }

  clear(layerId: string): void {
    this.editor.run((doc) => setReference(doc, layerId, { ids: null, source: '', thumbnail: null }, `Clear ${layerLabel(layerId)}`));
  }

  async #read(layerId: string, picture: Plane, source: string): Promise<void> {
    const label = layerLabel(layerId);
    const docModel = this.editor.store.state.manifest.modelId;
    const rgbId = [...this.editor.store.state.layers.keys()].find((id) => domainOf(id) === 'rgb');
    if (docModel !== this.modelId || !rgbId) {
      this.editor.fail(new Error(`${label}: this document is laid out for another model; open its model to read a reference`));
      return;
    }
    this.busy = layerId;
    this.editor.status = `Reading the ${label} from ${source}…`;
    try {
      const { request, images } = await referenceRequest(this.modelId, layerId, rgbId, picture);
      const ids = referenceIds(await this.client.run({ request, images }, () => {}).result, layerId);
      if (typeof ids === 'string') throw new Error(`${label}: ${ids}`);
      const thumbnail = thumbnailOf(picture);
      if (this.editor.run((doc) => setReference(doc, layerId, { ids, source, thumbnail }, `Set ${label} from ${source}`))) {
        this.editor.status = `${label} read from ${source} (${ids.length} tokens)`;
      }
    } catch (error) {
      this.editor.fail(error);
    } finally {
      this.busy = null;
    }
  }
}
