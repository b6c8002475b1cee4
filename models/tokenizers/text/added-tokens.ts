import type { AddedTokenSpec } from './schema';
import { isWhitespace, isWordChar } from './unicode';

/** A piece of input: either an added token already resolved to its id, or text still to tokenize. */
export type Piece = { readonly id: number } | { readonly text: string };

interface TrieNode {
  readonly next: Map<string, TrieNode>;
  token?: AddedTokenSpec;
}

/**
 * Finds added tokens in text the way `tokenizers`' AddedVocabulary does: leftmost-longest,
 * non-overlapping matches (Aho-Corasick semantics). A single_word match touching a word character
 * is dropped, and scanning resumes after it rather than trying shorter alternatives.
 */
export class AddedTokenMatcher {
  private readonly root: TrieNode = { next: new Map() };
  readonly isEmpty: boolean;

  /** `patternOf` maps a token to the text it must match (the normalized content for normalized tokens). */
  constructor(tokens: readonly AddedTokenSpec[], patternOf: (token: AddedTokenSpec) => string) {
    for (const token of tokens) {
      const pattern = patternOf(token);
      if (!pattern) continue;
      let node = this.root;
      for (const ch of pattern) {
        let child = node.next.get(ch);
        if (!child) {
          child = { next: new Map() };
          node.next.set(ch, child);
        }
        node = child;
      }
      node.token ??= token; // first definition wins, as in the reference
    }
    this.isEmpty = this.root.next.size === 0;
  }

  split(text: string): Piece[] {
    if (this.isEmpty) return [{ text }];
    const chars = Array.from(text);
    const pieces: Piece[] = [];
    let emittedUpTo = 0;
    let pos = 0;
    while (pos < chars.length) {
      const match = this.longestAt(chars, pos);
      if (!match) {
        pos += 1;
        continue;
      }
      const { token } = match;
      let start = pos;
      let stop = match.end;
      pos = match.end;
      if (token.single_word) {
        const before = start > 0 ? chars[start - 1] : undefined;
        const after = stop < chars.length ? chars[stop] : undefined;
        if ((before !== undefined && isWordChar(before)) || (after !== undefined && isWordChar(after))) continue;
      }
      if (token.lstrip) {
        while (start > emittedUpTo && isWhitespace(chars[start - 1] ?? '')) start -= 1;
      }
      if (token.rstrip) {
        // Scanning still resumes at the match end, as Aho-Corasick's iterator does.
        while (stop < chars.length && isWhitespace(chars[stop] ?? '')) stop += 1;
      }
      if (emittedUpTo < start) pieces.push({ text: chars.slice(emittedUpTo, start).join('') });
      pieces.push({ id: token.id });
      emittedUpTo = stop;
    }
    if (emittedUpTo < chars.length) pieces.push({ text: chars.slice(emittedUpTo).join('') });
    return pieces;
  }

  private longestAt(chars: readonly string[], start: number): { token: AddedTokenSpec; end: number } | undefined {
    let node: TrieNode | undefined = this.root;
    let best: { token: AddedTokenSpec; end: number } | undefined;
    for (let i = start; i < chars.length && node; i++) {
      node = node.next.get(chars[i] ?? '');
      if (node?.token) best = { token: node.token, end: i + 1 };
    }
    return best;
  }
}
