// UTF-8 without TextEncoder/TextDecoder: those are DOM/Node globals, and this core is
// type-checked against plain ES2023 so it can't lean on either environment by accident.

export function encodeUtf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** Strict: returns null on any malformed, overlong or surrogate sequence. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  const parts: string[] = [];
  let run: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    let need = 0;
    let c = 0;
    let min = 0;
    if (b < 0x80) [need, c, min] = [0, b, 0];
    else if (b >= 0xc2 && b < 0xe0) [need, c, min] = [1, b & 31, 0x80];
    else if (b >= 0xe0 && b < 0xf0) [need, c, min] = [2, b & 15, 0x800];
    else if (b >= 0xf0 && b < 0xf5) [need, c, min] = [3, b & 7, 0x10000];
    else return null;
    for (let k = 1; k <= need; k++) {
      const cont = bytes[i + k];
      if (cont === undefined || (cont & 0xc0) !== 0x80) return null;
      c = (c << 6) | (cont & 63);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return null;
    run.push(c);
    // fromCodePoint takes arguments; chunk to stay under engine argument limits.
    if (run.length >= 8192) {
      parts.push(String.fromCodePoint(...run));
      run = [];
    }
    i += need + 1;
  }
  parts.push(String.fromCodePoint(...run));
  return parts.join('');
}
