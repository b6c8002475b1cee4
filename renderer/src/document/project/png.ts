// What the project reader checks of a stored PNG without decoding it: the signature and the IHDR
// chunk's size. Decoding is the page's (an <img>), which copes with a broken body on its own.

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The picture's size from its IHDR chunk, or why these bytes are not a PNG. */
export function pngSize(bytes: Uint8Array): { readonly width: number; readonly height: number } | string {
  if (bytes.byteLength < 33 || SIGNATURE.some((b, i) => bytes[i] !== b)) return 'not a PNG file (no PNG signature)';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = String.fromCharCode(...bytes.subarray(12, 16));
  if (view.getUint32(8) !== 13 || type !== 'IHDR') return 'a PNG file without its IHDR header first';
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  if (width < 1 || height < 1) return `a PNG file of ${width}×${height} pixels`;
  return { width, height };
}
