/** RGB → caption: does the generated text name the kinds of object the scene shows? */

/**
 * Fraction of the distinct kinds that occur in the text as substrings (the
 * recipe's `k in words`); undefined for a scene without objects, which the
 * recipe leaves out of the mean.
 */
export function kindRecall(text: string, kinds: readonly string[]): number | undefined {
  const distinct = [...new Set(kinds)];
  if (distinct.length === 0) return undefined;
  return distinct.filter((k) => text.includes(k)).length / distinct.length;
}
