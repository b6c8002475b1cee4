/**
 * `--in metadata=…` and `--out metadata=…` on official 4M-21 models: the editor's "Image controls"
 * in words. Names and values are the editor's (preload/contract/metadata.ts is the one table):
 * `brightness=128 aesthetic_score=high people=2`, a property by its 4M name (n_humans) or the
 * editor's label (people), or any unambiguous start of one (aesthetic); values in the units the
 * form shows (brightness 0…255, a count, pixels, a level's name). Pure.
 */
import {
  METADATA_SPECS, metadataBin, metadataSpec, metadataValue, metadataValueText, parseMetadata, serializeMetadata, type MetadataSpec,
} from '../../preload/contract/metadata';
import { UsageError } from './errors';

/** The editor's label as a word: "Original width (px)" → original_width, "People" → people. */
const labelName = (s: MetadataSpec): string => s.label.toLowerCase().replace(/\(.*?\)/g, '').trim().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
const NAMES: readonly (readonly [string, MetadataSpec])[] = METADATA_SPECS.flatMap((s) => [[s.type, s] as const, ...(labelName(s) !== s.type ? [[labelName(s), s] as const] : [])]);

/** 4M's own text ("v1=10 v0=24 [S_1]") is taken as written; the host-side check reads it. */
const FOURM_TEXT = /(^|\s)v1=\d+(\s|$)/;

/** A typed property name → its spec: exact 4M name or label word, else the one property it starts. */
export function metadataByName(typed: string, flag: string): MetadataSpec {
  const name = typed.toLowerCase().replace(/[-\s]+/g, '_');
  const exact = NAMES.find(([n]) => n === name);
  if (exact) return exact[1];
  const starts = [...new Set(NAMES.filter(([n]) => name !== '' && n.startsWith(name)).map(([, s]) => s))];
  if (starts.length === 1) return starts[0] as MetadataSpec;
  if (starts.length > 1) throw new UsageError(`${flag}: "${typed}" could be ${starts.map((s) => s.type).join(', ')}; give more of the name`);
  try {
    return metadataSpec(typed);
  } catch (error) {
    throw new UsageError(`${flag}: ${(error as Error).message}`);
  }
}

/** One value as typed (a number; a level also by its name) → user units, refused with the editor's messages. */
function userValue(spec: MetadataSpec, raw: string | number, flag: string): number {
  if (typeof raw === 'string' && spec.kind === 'level') {
    const index = (spec.levels ?? []).indexOf(raw.trim().toLowerCase());
    if (index >= 0) return index;
  }
  const value = typeof raw === 'number' ? raw : raw.trim() === '' ? Number.NaN : Number(raw);
  if (Number.isNaN(value)) {
    const levels = spec.kind === 'level' ? ` (or ${(spec.levels ?? []).join(', ')})` : '';
    throw new UsageError(`${flag}: ${spec.label}: "${raw}" is not a number${levels}`);
  }
  try {
    metadataBin(spec.type, value);
  } catch (error) {
    throw new UsageError(`${flag}: ${(error as Error).message}`);
  }
  return value;
}

/** Values by name ({ brightness: 128, aesthetic: "high" }) → 4M's metadata text. */
export function metadataFromValues(values: Readonly<Record<string, unknown>>, flag: string): string {
  return metadataFromPairs(Object.entries(values), flag);
}

/** Typed name/value pairs → 4M's text; a property named twice (by any of its names) is refused. */
function metadataFromPairs(pairs: readonly (readonly [string, unknown])[], flag: string): string {
  const byType: Record<string, number> = {};
  for (const [typed, raw] of pairs) {
    const spec = metadataByName(typed, flag);
    if (typeof raw !== 'number' && typeof raw !== 'string') throw new UsageError(`${flag}: ${spec.label}: expected a number${spec.kind === 'level' ? ' or a level name' : ''}, got ${JSON.stringify(raw)}`);
    if (byType[spec.type] !== undefined) throw new UsageError(`${flag}: ${spec.label} is given twice`);
    byType[spec.type] = userValue(spec, raw, flag);
  }
  if (Object.keys(byType).length === 0) throw new UsageError(`${flag}: no property given (e.g. brightness=128 aesthetic_score=high people=2)`);
  return serializeMetadata(byType);
}

/**
 * `--in metadata=<value>` → 4M's text: `name=value` pairs (spaces or commas between them), or 4M's
 * own text, which goes on as written to be checked like the editor's.
 */
export function metadataFromArg(value: string, flag: string): string {
  if (FOURM_TEXT.test(value)) return value;
  const pairs: [string, string][] = [];
  for (const pair of value.split(/[\s,]+/).filter((p) => p !== '')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`${flag}: "${pair}": expected <property>=<value> (e.g. brightness=128 aesthetic_score=high people=2)`);
    pairs.push([pair.slice(0, eq), pair.slice(eq + 1)]);
  }
  return metadataFromPairs(pairs, flag);
}

export interface ReadableMetadata {
  /** What the model wrote. */
  readonly text: string;
  /** By 4M name, in user units (a level by its name): what `--in metadata=<this file>` reads back as the same bins. */
  readonly values: Record<string, number | string>;
  /** By the editor's label, as the form shows it ("≈ 128", "high", "2"). */
  readonly shown: Record<string, string>;
  readonly dropped: readonly { readonly text: string; readonly reason: string }[];
}

/** Generated metadata text → readable values, each the middle of its bin as the editor reads it back. */
export function readableMetadata(text: string): ReadableMetadata {
  const { bins, dropped } = parseMetadata(text);
  const values: Record<string, number | string> = {};
  const shown: Record<string, string> = {};
  for (const s of METADATA_SPECS) {
    const bin = bins[s.type];
    if (bin === undefined) continue;
    values[s.type] = s.kind === 'level' ? (s.levels?.[bin] ?? bin) : Number(metadataValue(s.type, bin).toFixed(4));
    shown[s.label] = metadataValueText(s.type, bin);
  }
  return { text, values, shown, dropped };
}
