// What the tool-options bar says on a layer the chosen tool cannot edit (a caption, a palette,
// boxes under the brush): where that layer is edited instead of brush controls that do nothing. Pure.
import type { LayerKind } from '../document';
import { toolFits, type ToolId } from './toolIds';

export interface HintLayer {
  readonly kind: LayerKind;
  /** The layer's display name ("Caption"). */
  readonly name: string;
  /** The layer's domain (caption, metadata, …). */
  readonly domain: string;
  /** Its role is generate: the prompt box does not write it then. */
  readonly generated: boolean;
}

/** One line for `layer` under `tool`, or null when the tool edits it (its options are shown). */
export function layerHint(tool: ToolId, layer: HintLayer): string | null {
  if (toolFits(tool, layer.kind)) return null;
  const name = layer.name;
  switch (layer.kind) {
    case 'text':
      if (layer.domain === 'caption' && !layer.generated) return `${name}: type it in the prompt box above`;
      if (layer.domain === 'metadata') return `${name}: set its values in the side panel`;
      return `${name}: type its text in the side panel`;
    case 'palette':
      return `${name}: pick its colours in the side panel`;
    case 'boxes':
      return `${name}: draw, move and resize boxes with the box tool (R)`;
    case 'image':
    case 'segmentation':
      return `${name}: paint it with the brush (B) or another tool on the left`;
    case 'reference':
      return `${name}: take it from the RGB layer or a picture file in the side panel`;
  }
}
