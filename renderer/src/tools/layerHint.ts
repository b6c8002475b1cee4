// What the tool-options bar says on a layer the chosen tool cannot edit (a caption, a palette,
// boxes under the brush), or that no tool edits (the model's own Objects (SAM) picture): where that
// layer is edited, or why not, instead of brush controls that do nothing. Pure.
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
  /** The model only makes it (isOutputOnly): no tool edits it. */
  readonly outputOnly?: boolean;
  /** Its role is condition (Objects (SAM) then goes in as imported or generated). */
  readonly condition?: boolean;
}

/** One line for `layer` under `tool`, or null when the tool edits it (its options are shown). */
export function layerHint(tool: ToolId, layer: HintLayer): string | null {
  const name = layer.name;
  // Objects (SAM) as a condition: read as one flat colour per object, so given whole, never painted.
  if (layer.outputOnly && layer.condition && layer.domain === 'sam_instance') return `${name}: one flat colour per object; import a painting (Import image…) or generate it; no tool paints it`;
  // Before the kind's own hint: an output-only picture is not painted with another tool either.
  if (layer.outputOnly && (layer.kind === 'image' || layer.kind === 'segmentation')) return `${name}: made by the model; nothing to paint`;
  if (layer.outputOnly && layer.kind === 'boxes') return `${name}: made by the model; nothing to draw`;
  if (toolFits(tool, layer.kind)) return null;
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
      // As a target its buttons are off: the model writes it.
      if (layer.generated) return `${name}: the model predicts it; set it to condition to take it from a picture`;
      return `${name}: take it from the RGB layer or a picture file in the side panel`;
  }
}
