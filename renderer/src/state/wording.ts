// Two things the editor writes in many places, written one way: a size ("448 × 448", spaced like
// the Layers heading and Upscale's text; "448×448" crept into the footer and status lines) and a
// sentence that starts with a reason worded in lower case for use mid-sentence. Pure, unit-tested.

/** A width and height as the editor shows them: "448 × 448" (add the unit, px or tokens, after). */
export function sizeText(width: number, height: number): string {
  return `${width} × ${height}`;
}

/** `text` with its first letter in upper case, to start a sentence with a mid-sentence reason. */
export function capitalized(text: string): string {
  const first = text.codePointAt(0);
  if (first === undefined) return text;
  const head = String.fromCodePoint(first);
  return head.toUpperCase() + text.slice(head.length);
}
