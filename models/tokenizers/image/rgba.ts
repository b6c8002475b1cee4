/** An 8-bit RGBA pixel buffer, row-major, 4 bytes per pixel (what sharp and canvases give). */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Uint8ClampedArray;
}

export function createRgba(width: number, height: number): { width: number; height: number; data: Uint8Array } {
  return { width, height, data: new Uint8Array(width * height * 4) };
}

export function assertRgba(img: RgbaImage, what = 'image'): void {
  if (!Number.isInteger(img.width) || !Number.isInteger(img.height) || img.width < 1 || img.height < 1) {
    throw new RangeError(`${what}: size ${img.width}×${img.height} is not a positive integer size`);
  }
  if (img.data.length !== img.width * img.height * 4) {
    throw new RangeError(`${what}: ${img.data.length} bytes, expected ${img.width * img.height * 4} for ${img.width}×${img.height} RGBA`);
  }
}
