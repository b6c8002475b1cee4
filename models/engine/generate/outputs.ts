/** Final state → user-facing outputs: decoded images, text, boxes and palettes. */
import type { ModalityState } from '../../sampling';
import { parseColorPalette, parseDet, type ParsedColorPalette, type ParsedDet } from '../../tokenizers/sequence';
import type { DecodedImage } from '../../tokenizers/image';
import type { EngineModel } from './engine-model';
import { decodeTokens } from './image-codec';
import { sequenceWordsText } from './sequence-words';

export type GeneratedOutput =
  | { readonly kind: 'image'; readonly modality: string; readonly tokens: Int32Array; readonly image: DecodedImage }
  | {
      readonly kind: 'sequence';
      readonly modality: string;
      readonly tokens: Int32Array;
      readonly text: string;
      readonly boxes?: ParsedDet;
      readonly palette?: ParsedColorPalette;
    };

export async function decodeOutput(model: EngineModel, name: string, m: ModalityState): Promise<GeneratedOutput> {
  const spec = model.modality(name);
  if (spec.type === 'img') return { kind: 'image', modality: name, tokens: m.tokens.slice(), image: await decodeTokens(model, spec, m.tokens) };
  const ids = visibleSequence(m, model.special.eos);
  const text = sequenceText(model, ids);
  const coordBins = model.manifest.text.coordBins;
  if (spec.domain === 'det') return { kind: 'sequence', modality: name, tokens: ids, text, boxes: parseDet(text, { coordBins }) };
  if (spec.domain === 'color_palette') return { kind: 'sequence', modality: name, tokens: ids, text, palette: parseColorPalette(text) };
  return { kind: 'sequence', modality: name, tokens: ids, text };
}

/** The visible part of a sequence up to (not including) its first [EOS]. */
export function visibleSequence(m: ModalityState, eos: number): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < m.tokens.length; i++) {
    if (m.inputMask[i] !== 0) continue;
    const v = m.tokens[i] as number;
    if (v === eos) break;
    out.push(v);
  }
  return Int32Array.from(out);
}

export function sequenceText(model: EngineModel, ids: ArrayLike<number>): string {
  return sequenceWordsText(model.text, ids);
}
