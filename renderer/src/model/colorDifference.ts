// CIELAB colour difference (CIE76 ΔE*ab): how far apart two class colours look. Class maps are
// read by eye and painted by hand, so two classes must never look alike (ΔE ≥ 40 in the shipped
// palette, checked by test/unit/renderer/model/class-colors.test.ts).

export type Rgb = readonly [number, number, number];
export type Lab = readonly [number, number, number];

// D65 reference white (sRGB's), CIE 1931 2° observer.
const WHITE = [0.95047, 1, 1.08883] as const;

function linear(byte: number): number {
  const u = byte / 255;
  return u <= 0.04045 ? u / 12.92 : ((u + 0.055) / 1.055) ** 2.4;
}

function f(t: number): number {
  return t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116;
}

/** sRGB bytes → CIELAB (L* 0..100). */
export function srgbToLab(rgb: Rgb): Lab {
  const [r, g, b] = rgb.map(linear) as [number, number, number];
  const x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
  const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const z = 0.0193339 * r + 0.119192 * g + 0.9503041 * b;
  const fx = f(x / WHITE[0]);
  const fy = f(y / WHITE[1]);
  const fz = f(z / WHITE[2]);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** CIE76 ΔE*ab: the Euclidean distance in CIELAB. */
export function deltaE(a: Rgb, b: Rgb): number {
  const p = srgbToLab(a);
  const q = srgbToLab(b);
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}
