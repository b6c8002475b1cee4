/**
 * Names a page or a file may use as keys of plain objects (modality names, layer ids, pixel
 * refs) must not be names every object already answers to: `obj['constructor']` is a function
 * and `obj['__proto__'] = x` replaces the prototype, so such a name would slip past an
 * "is it there?" check and fail later as "Cannot read properties of undefined", or vanish.
 * No name the app writes is one of them.
 */
import { z } from 'zod';

const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Whether `name` is a property of every plain object ('__proto__', 'constructor', 'toString', …). */
export function isInheritedKey(name: string): boolean {
  return INHERITED.has(name);
}

/** For a zod refine: the message naming the key and why it is refused. */
export function inheritedKeyMessage(name: unknown): string {
  return `"${String(name)}" is a reserved name (a property of every JavaScript object), not usable as a name here`;
}

/** Most entries a record of modalities (inputs, outputs, guidance weights, pixels) may have: a model has fewer layers. */
export const MAX_RECORD_ENTRIES = 64;

/**
 * z.record with at most `max` entries, counted before any entry is parsed: a page's message of a
 * million tiny entries would otherwise keep the harness and the host busy for seconds each.
 */
export function boundedRecord<K extends z.core.$ZodRecordKey, V extends z.ZodType>(key: K, value: V, max = MAX_RECORD_ENTRIES) {
  const record = z.record(key, value);
  return z
    .custom<z.input<typeof record>>((o) => typeof o !== 'object' || o === null || Object.keys(o).length <= max, { error: `expected at most ${max} entries` })
    .pipe(record);
}
