/**
 * Names a page or a file may use as keys of plain objects (modality names, layer ids, pixel
 * refs) must not be names every object already answers to: `obj['constructor']` is a function
 * and `obj['__proto__'] = x` replaces the prototype, so such a name would slip past an
 * "is it there?" check and fail later as "Cannot read properties of undefined", or vanish.
 * No name the app writes is one of them. Imports nothing.
 */
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Whether `name` is a property of every plain object ('__proto__', 'constructor', 'toString', …). */
export function isInheritedKey(name: string): boolean {
  return INHERITED.has(name);
}

/** For a zod refine: the message naming the key and why it is refused. */
export function inheritedKeyMessage(name: unknown): string {
  return `"${String(name)}" is a reserved name (a property of every JavaScript object), not usable as a name here`;
}
