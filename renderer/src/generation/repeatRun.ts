// Generate pressed again on the same layers with the same settings means "another one" to an
// artist: the same request with the same seed would make the same picture (the request is a full
// fingerprint: image inputs go by their content hash), so the seed moves on to the next one not
// used by the last run or by a result in the gallery. A seed chosen on purpose (typed in the field, or recalled from a gallery entry by Run
// again) is kept: that is a deliberate repeat.
import type { GenerationRequest } from '../../../preload/contract/generation';
import { LIMITS } from './settings';

/** A deliberate repeat (the seed was chosen since the last run): the same picture comes again. */
export const REPEAT_NOTE = 'Same layers, settings and seed as a picture made before (the seed was set on purpose), so the same picture.';

/** Why the seed moved on by itself, for the panel. */
export function newSeedNote(seed: number): string {
  return `Same layers and settings as before: new seed ${seed} for another picture. Run again on a gallery entry repeats one exactly.`;
}

/** JSON with object keys sorted: a request read back from a project file compares equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The request's fingerprint: equal fingerprints make equal pictures. */
export function runFingerprint(request: GenerationRequest): string {
  return canonical(request);
}

/**
 * Everything but the seed (and the variation count: variation v of a run is seed + v alone):
 * the requests that differ only in which picture of the set they make.
 */
export function settingsFingerprint(request: unknown): string {
  if (!request || typeof request !== 'object' || Array.isArray(request)) return canonical(request);
  return canonical({ ...(request as Record<string, unknown>), seed: undefined, variations: undefined });
}

/** The seeds a gallery's entries were made with, for requests with these settings. */
export function seedsInGallery(gallery: readonly { readonly request: unknown }[], settings: string): Set<number> {
  const seeds = new Set<number>();
  for (const entry of gallery) {
    const r = entry.request as { seed?: unknown } | null;
    if (r && typeof r.seed === 'number' && settingsFingerprint(r) === settings) seeds.add(r.seed);
  }
  return seeds;
}

export interface LastRun {
  /** settingsFingerprint of its request. */
  readonly settings: string;
  readonly seed: number;
  readonly variations: number;
}

export interface SeedChoice {
  readonly settings: string;
  readonly seed: number;
  readonly variations: number;
  /** The seed field was set on purpose since the last run (typed, or recalled from the gallery). */
  readonly chosen: boolean;
  /** A random seed was drawn for this run: nothing to move on from. */
  readonly random: boolean;
  /** Seeds the gallery already holds for these settings. */
  readonly taken: ReadonlySet<number>;
}

export type SeedDecision =
  /** Run as asked; `repeat` when it is the previous run again (a deliberate one). */
  | { readonly kind: 'as-is'; readonly repeat: boolean }
  /** The previous run again, unasked: run `seed` instead, a fresh one. */
  | { readonly kind: 'next'; readonly seed: number };

/** The seed field's own upper bound: a moved-on seed must be one the field accepts. */
export const MAX_SEED = LIMITS.seed.max;

/**
 * Whether this run would repeat a picture already made (the last run, or results the gallery holds
 * for the same settings) and, if so unasked, the seed to use instead: the first after the last
 * run's seeds (seed … seed + variations − 1), or after this seed, whose whole set of variations
 * the gallery does not hold yet (wrapping past MAX_SEED to 0).
 */
export function decideSeed(run: SeedChoice, last: LastRun | null): SeedDecision {
  const wrap = (s: number): number => ((s % (MAX_SEED + 1)) + (MAX_SEED + 1)) % (MAX_SEED + 1);
  const free = (s: number): boolean => {
    for (let v = 0; v < run.variations; v++) if (run.taken.has(wrap(s + v))) return false;
    return true;
  };
  const sameAsLast = !!last && last.settings === run.settings && last.seed === run.seed && last.variations === run.variations;
  const repeat = sameAsLast || !free(run.seed);
  if (!repeat || run.chosen || run.random) return { kind: 'as-is', repeat };
  let seed = wrap(sameAsLast && last ? last.seed + last.variations : run.seed + 1);
  // Each seed the gallery holds rules out at most `variations` starts, so a free one is near.
  for (let tries = 0; tries <= run.taken.size * run.variations && !free(seed); tries++) seed = wrap(seed + 1);
  return { kind: 'next', seed };
}
