// Normal picking from a hemisphere widget. Convention (documented in FORMAT.md): camera
// space, x right, y up, z towards the viewer; RGB = round((n + 1) / 2 × 255).
export type Vec3 = readonly [number, number, number];

/** (u, v) on the picker disc in [-1, 1], v growing downwards as on screen. Points outside
 * the disc are pulled onto the rim (a normal perpendicular to the view). */
export function normalFromSpherePicker(u: number, v: number): Vec3 {
  let x = u;
  let y = v === 0 ? 0 : -v; // no -0 leaking into equality checks
  const r2 = x * x + y * y;
  if (r2 > 1) {
    const r = Math.sqrt(r2);
    x /= r;
    y /= r;
    return [x, y, 0];
  }
  return [x, y, Math.sqrt(1 - r2)];
}

export function encodeNormal(n: Vec3): Vec3 {
  const len = Math.hypot(n[0], n[1], n[2]) || 1;
  const enc = (c: number): number => Math.min(255, Math.max(0, Math.round(((c / len + 1) / 2) * 255)));
  return [enc(n[0]), enc(n[1]), enc(n[2])];
}

export function decodeNormal(rgb: Vec3): Vec3 {
  const x = (rgb[0] / 255) * 2 - 1;
  const y = (rgb[1] / 255) * 2 - 1;
  const z = (rgb[2] / 255) * 2 - 1;
  const len = Math.hypot(x, y, z) || 1;
  return [x / len, y / len, z / len];
}

/** Inverse of the picker: where a normal sits on the disc (for showing the current colour). */
export function spherePickerFromNormal(n: Vec3): { u: number; v: number } {
  const len = Math.hypot(n[0], n[1], n[2]) || 1;
  return { u: n[0] / len, v: n[1] === 0 ? 0 : -n[1] / len };
}
