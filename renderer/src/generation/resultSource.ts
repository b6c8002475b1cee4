// What a gallery result was made from, in the artist's words: "from Segmentation", "from “a red
// sphere…”", "region redone, from …". Every entry of a session read "RGB · seed 1234", so a
// sketch's picture and a caption's could only be told apart by a 40 px thumbnail. Read from the
// saved request (JSON, as a project file holds it), so results from older files say it too; a
// request it cannot read says nothing rather than something wrong.
import { domainOf } from '../model/layerLabels';

/** Longest caption quoted in full; longer ones end in "…". */
export const QUOTE_CHARS = 40;

type Json = unknown;

function record(value: Json): Record<string, Json> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, Json>) : null;
}

/** The caption in quotes; a long one cut at a word (or at the limit when a word is that long), then "…". */
function quote(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  if (t.length <= QUOTE_CHARS) return `“${t}”`;
  const cut = t.slice(0, QUOTE_CHARS - 1);
  const space = cut.lastIndexOf(' ');
  return `“${(space > QUOTE_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…”`;
}

/** "from Segmentation and “a red sphere”", "region redone, from …", or '' for a request it cannot read. */
export function resultSourceText(request: Json, label: (id: string) => string): string {
  const req = record(request);
  const inputs = record(req?.['inputs']);
  const targets = Array.isArray(req?.['targets']) ? (req['targets'] as Json[]).map((t) => record(t)?.['modality']).filter((m): m is string => typeof m === 'string') : [];
  if (!inputs || targets.length === 0) return '';
  // A target that is also an input keeps some of its tokens: a region redone (Fix a region).
  const region = targets.some((t) => record(inputs[t])?.['keepMask'] !== undefined);
  const from = Object.keys(inputs)
    .filter((id) => !targets.includes(id))
    .map((id) => {
      const text = record(inputs[id])?.['text'];
      return domainOf(id) === 'caption' && typeof text === 'string' && text.trim() ? quote(text) : label(id);
    });
  const source = from.length ? `from ${from.join(' and ')}` : 'from nothing (unconditional)';
  return region ? `region redone, ${source}` : source;
}
