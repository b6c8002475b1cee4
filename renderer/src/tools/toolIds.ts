// The tool bar's tools and their keyboard shortcuts.
import type { DocumentManifest, LayerKind } from '../document';
import { isSamInstanceLayer } from '../../../preload/contract/sam-instance';

export type ToolId = 'brush' | 'eraser' | 'fill' | 'rect' | 'ellipse' | 'lasso' | 'gradient' | 'box' | 'mask';

export interface ToolInfo {
  readonly id: ToolId;
  readonly label: string;
  readonly key: string;
  readonly icon: string;
  /** Layer kinds the tool edits. */
  readonly kinds: readonly LayerKind[];
}

export const TOOLS: readonly ToolInfo[] = [
  { id: 'brush', label: 'Brush (Shift-click: straight line)', key: 'b', icon: '✎', kinds: ['image', 'segmentation'] },
  { id: 'eraser', label: 'Eraser', key: 'e', icon: '⌫', kinds: ['image', 'segmentation'] },
  { id: 'fill', label: 'Fill', key: 'g', icon: '◩', kinds: ['image', 'segmentation'] },
  { id: 'rect', label: 'Rectangle fill', key: 'u', icon: '▭', kinds: ['image', 'segmentation'] },
  { id: 'ellipse', label: 'Ellipse fill', key: 'o', icon: '◯', kinds: ['image', 'segmentation'] },
  { id: 'lasso', label: 'Lasso fill (polygon)', key: 'l', icon: '✑', kinds: ['image', 'segmentation'] },
  { id: 'gradient', label: 'Gradient (depth, edges)', key: 'd', icon: '◐', kinds: ['image'] },
  { id: 'box', label: 'Boxes: draw, move, resize', key: 'r', icon: '⬚', kinds: ['boxes'] },
  { id: 'mask', label: 'Region mask (Alt: remove)', key: 'm', icon: '▦', kinds: ['image', 'segmentation'] },
];

export function toolFits(tool: ToolId, kind: LayerKind): boolean {
  const info = TOOLS.find((t) => t.id === tool);
  return !!info && info.kinds.includes(kind);
}

/**
 * Whether no tool edits layer `id`: the model only makes it and never reads it (its layout's
 * `input: false`, the manifest's `canCondition: false`), so painting changes nothing the model sees
 * and only spoils the model's picture; or it is 4M-21's Objects (SAM), which the model reads as one
 * flat colour per object (a brush's soft edges would be specks of other objects): it is generated or
 * imported. Its results still land.
 */
export function isOutputOnly(manifest: DocumentManifest, id: string): boolean {
  return manifest.modalities.find((m) => m.id === id)?.canCondition === false || isSamInstanceLayer(id);
}

/** Whether `tool` edits the layer: it fits the kind and the layer is not output-only. */
export function toolEdits(tool: ToolId, layer: { readonly kind: LayerKind; readonly outputOnly: boolean }): boolean {
  return !layer.outputOnly && toolFits(tool, layer.kind);
}

/**
 * A tool's key pressed on `layer` (null: none selected): the tool when the tool bar offers it, else
 * why not. An output-only layer greys every tool, so its keys pick none either.
 */
export function toolByKey(tool: ToolId, layer: { readonly kind: LayerKind; readonly outputOnly: boolean; readonly label: string } | null): { readonly tool: ToolId } | { readonly refused: string } {
  if (layer && toolEdits(tool, layer)) return { tool };
  if (layer?.outputOnly) return { refused: `No tool edits ${layer.label}: it is made by the model` };
  return { refused: `That tool does not apply to ${layer?.label ?? 'this layer'}` };
}
