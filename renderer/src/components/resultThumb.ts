// What a gallery entry's small square shows. Pure: the component draws the choice.
import type { GalleryOutput, LayerContent } from '../document';

/** Draw the output of layer `id` (pixels or a reference's picture), or write a short `label` instead. */
export type ResultThumbChoice = { readonly draw: string } | { readonly label: string };

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** A few words for an output with no picture: what is in it, not a black square. */
function contentLabel(content: LayerContent, tokens: Int32Array | null): string {
  switch (content.kind) {
    case 'reference': {
      const n = content.ids?.length ?? tokens?.length ?? 0;
      return n ? plural(n, 'token') : 'no tokens';
    }
    case 'text':
      return 'text';
    case 'boxes':
      return plural(content.boxes.length, 'box', 'boxes');
    case 'palette':
      return plural(content.swatches.length, 'colour');
    default:
      return 'no picture';
  }
}

/**
 * The first pixel output in layer order; else the first picture reference that kept the picture
 * it was read from; else a label for the first output (a token-only result has nothing to draw).
 */
export function resultThumbChoice(outputs: Readonly<Record<string, GalleryOutput>>, layerOrder: readonly string[]): ResultThumbChoice {
  const ids = [...layerOrder.filter((id) => Object.hasOwn(outputs, id)), ...Object.keys(outputs).filter((id) => !layerOrder.includes(id))];
  const pixels = ids.find((id) => {
    const kind = outputs[id]?.content.kind;
    return kind === 'image' || kind === 'segmentation';
  });
  if (pixels) return { draw: pixels };
  const picture = ids.find((id) => {
    const c = outputs[id]?.content;
    return c?.kind === 'reference' && !!c.ids && !!c.thumbnail;
  });
  if (picture) return { draw: picture };
  const first = ids[0] === undefined ? undefined : outputs[ids[0]];
  return { label: first ? contentLabel(first.content, first.tokens) : 'empty' };
}
