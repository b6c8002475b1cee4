/**
 * Decodes a URL path segment; a malformed escape such as `%` or `%zz` gives undefined
 * instead of throwing (the caller answers 400). Any page can make the browser send one.
 */
export function decodePath(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
