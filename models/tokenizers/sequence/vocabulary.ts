// The special ids a sequence modality needs, looked up by token string in the model's tokenizer
// (4M's layout puts [S_1] at 5, but a different vocabulary may not: never hard-code ids).

/** Anything that can map token strings to ids and back (the WordPieceTokenizer does). */
export interface TokenLookup {
  tokenToId(token: string): number | undefined;
  idToToken(id: number): string | undefined;
}

export interface SpecialIds {
  readonly pad: number;
  readonly eos: number;
  /** sentinels[k] is the id of `[S_k]`, for k = 0 … count−1. */
  readonly sentinels: readonly number[];
}

export const sentinelToken = (k: number): string => `[S_${k}]`;

function required(lookup: TokenLookup, token: string): number {
  const id = lookup.tokenToId(token);
  if (id === undefined) throw new Error(`Tokenizer vocabulary has no "${token}" token, which 4M sequences need`);
  return id;
}

/** Reads [PAD], [EOS] and the contiguous run [S_0], [S_1], … from the vocabulary. */
export function readSpecialIds(lookup: TokenLookup): SpecialIds {
  const sentinels: number[] = [];
  for (let k = 0; ; k++) {
    const id = lookup.tokenToId(sentinelToken(k));
    if (id === undefined) break;
    sentinels.push(id);
  }
  if (sentinels.length < 3) {
    throw new Error(`Tokenizer vocabulary has ${sentinels.length} sentinel tokens [S_k]; 4M needs at least [S_0]…[S_2]`);
  }
  return { pad: required(lookup, '[PAD]'), eos: required(lookup, '[EOS]'), sentinels };
}

/** Sentinel index k if `id` is `[S_k]`, otherwise undefined. */
export function sentinelIndexOf(special: SpecialIds, id: number): number | undefined {
  const k = special.sentinels.indexOf(id);
  return k < 0 ? undefined : k;
}

export function sentinelId(special: SpecialIds, k: number): number {
  const id = special.sentinels[k];
  if (id === undefined) throw new Error(`Sentinel [S_${k}] is outside the vocabulary (it has ${special.sentinels.length})`);
  return id;
}

/**
 * Counts the coordinate bins the vocabulary holds (v0=0 … v0=B−1, same for v1..v3), to cross-check
 * the bin count the model manifest declares.
 */
export function countCoordBins(lookup: TokenLookup): number {
  let bins = 0;
  while ([0, 1, 2, 3].every((axis) => lookup.tokenToId(`v${axis}=${bins}`) !== undefined)) bins += 1;
  return bins;
}
