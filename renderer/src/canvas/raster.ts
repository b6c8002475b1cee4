import type { Raster } from '../../../preload/contract/jobs';

/** Canvas pixels <-> contract rasters (base64 RGBA8). */
export function canvasToRaster(canvas: HTMLCanvasElement): Raster {
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('2D canvas context unavailable');
  const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < data.length; i += chunk) {
    binary += String.fromCharCode(...data.subarray(i, i + chunk));
  }
  return { width: canvas.width, height: canvas.height, rgba: btoa(binary) };
}

export function rasterToCanvas(raster: Raster): HTMLCanvasElement {
  const binary = atob(raster.rgba);
  const pixels = new Uint8ClampedArray(binary.length);
  for (let i = 0; i < binary.length; i++) pixels[i] = binary.charCodeAt(i);
  const canvas = document.createElement('canvas');
  canvas.width = raster.width;
  canvas.height = raster.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('2D canvas context unavailable');
  ctx.putImageData(new ImageData(pixels, raster.width, raster.height), 0, 0);
  return canvas;
}

/** A procedural sample picture, so the skeleton needs no asset loading yet. */
export function samplePicture(size: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('2D canvas context unavailable');
  const sky = ctx.createLinearGradient(0, 0, 0, size);
  sky.addColorStop(0, '#87b6e8');
  sky.addColorStop(1, '#f2d7a6');
  ctx.fillStyle = sky;
  ctx.fillRect(0, 0, size, size);
  ctx.fillStyle = '#3b6e3a';
  ctx.fillRect(0, size * 0.7, size, size * 0.3);
  ctx.fillStyle = '#c2452d';
  ctx.beginPath();
  ctx.arc(size * 0.35, size * 0.55, size * 0.16, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = '#2d3e8c';
  ctx.fillRect(size * 0.58, size * 0.38, size * 0.22, size * 0.34);
  return canvas;
}
