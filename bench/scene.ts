/** A synthetic scene like the training world (sky, ground, a sphere), drawn in RGB and as a class map. */
import type { RgbaImage } from '../models/tokenizers/image';

export function drawScene(size: number, classes: readonly { id: number; color: readonly [number, number, number] }[]): { rgb: RgbaImage; semseg: RgbaImage } {
  const rgb = new Uint8Array(size * size * 4);
  const semseg = new Uint8Array(size * size * 4);
  const colorOf = (id: number) => classes.find((c) => c.id === id)?.color ?? [0, 0, 0];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const sphere = (x - size * 0.5) ** 2 + (y - size * 0.6) ** 2 < (size * 0.18) ** 2;
      const cls = sphere ? 2 : y < size * 0.45 ? 0 : 1;
      const o = (y * size + x) * 4;
      const shade = sphere ? 1 - Math.min(0.5, Math.hypot(x - size * 0.45, y - size * 0.55) / size) : 1;
      const c = colorOf(cls);
      rgb.set([c[0] * shade, c[1] * shade, c[2] * shade, 255], o);
      semseg.set([...c, 255], o);
    }
  }
  return { rgb: { width: size, height: size, data: rgb }, semseg: { width: size, height: size, data: semseg } };
}
