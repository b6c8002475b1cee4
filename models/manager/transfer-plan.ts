/**
 * The pure decisions of a download: the URL of a file on a Hugging Face style
 * hub, what to ask for given a partial file, what a response means for it, and
 * whether the finished bytes are the expected ones. No I/O here.
 */
import { formatBytes } from '../../preload/contract/models';

export const DEFAULT_BASE_URL = 'https://huggingface.co';
export const BASE_URL_ENV = 'FOURM_STUDIO_MODEL_BASE_URL';
/** FOURM_STUDIO_OFFLINE=1: never use the network (the CLI and the app). */
export const OFFLINE_ENV = 'FOURM_STUDIO_OFFLINE';

export function offlineFromEnv(value: string | undefined): boolean {
  return /^(1|true|yes)$/i.test(value ?? '');
}

/** `<base>/<owner>/<name>/resolve/<revision>/<path>`, each segment escaped. */
export function hubFileUrl(base: string, repo: string, file: string, revision = 'main'): string {
  const seg = (s: string): string => s.split('/').map(encodeURIComponent).join('/');
  return `${base.replace(/\/+$/, '')}/${seg(repo)}/resolve/${encodeURIComponent(revision)}/${seg(file)}`;
}

export interface Expected {
  readonly bytes?: number;
  readonly sha256?: string;
}

/** What to request for a file of which `have` bytes are already in the partial file. */
export type RequestPlan =
  | { readonly kind: 'fetch'; readonly from: number }
  | { readonly kind: 'verify' }
  | { readonly kind: 'discard' };

export function planRequest(have: number, expected: Expected): RequestPlan {
  if (expected.bytes !== undefined && have > expected.bytes) return { kind: 'discard' };
  if (expected.bytes !== undefined && have === expected.bytes && have > 0) return { kind: 'verify' };
  return { kind: 'fetch', from: have };
}

export interface ResponseFacts {
  readonly status: number;
  readonly statusText: string;
  readonly contentRange: string | null;
  readonly contentLength: string | null;
}

/** What to do with a response to a request from byte `from`. */
export type ResponseAction =
  /** Write the body at `from` (keep what is there); `total` = full size when the response says it. */
  | { readonly kind: 'append'; readonly total: number | undefined }
  /** Start over: write the body from byte 0 (a 200 to a range request: the server ignores ranges). */
  | { readonly kind: 'restart'; readonly total: number | undefined }
  /** 416 with the partial file already complete. */
  | { readonly kind: 'complete' }
  | { readonly kind: 'retry'; readonly reason: string; readonly discard: boolean }
  | { readonly kind: 'fail'; readonly reason: string };

export function parseContentRange(v: string | null): { start: number; end: number; total: number | undefined } | undefined {
  const m = v ? /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(v.trim()) : null;
  if (!m) return undefined;
  return { start: Number(m[1]), end: Number(m[2]), total: m[3] === '*' ? undefined : Number(m[3]) };
}

export function interpretResponse(r: ResponseFacts, from: number, expected: Expected): ResponseAction {
  const length = r.contentLength !== null && /^\d+$/.test(r.contentLength) ? Number(r.contentLength) : undefined;
  if (r.status === 206) {
    const range = parseContentRange(r.contentRange);
    if (!range) return { kind: 'retry', reason: `206 without a usable Content-Range ("${r.contentRange ?? ''}")`, discard: true };
    if (range.start !== from) return { kind: 'retry', reason: `asked for byte ${from} but the server sent from ${range.start}`, discard: true };
    const total = range.total ?? expected.bytes;
    if (expected.bytes !== undefined && range.total !== undefined && range.total !== expected.bytes) {
      return { kind: 'fail', reason: `the server has ${range.total} bytes, expected ${expected.bytes}` };
    }
    return { kind: 'append', total };
  }
  if (r.status === 200) {
    // A shorter body is taken as a truncation (kept and resumed); a longer one is another file.
    if (expected.bytes !== undefined && length !== undefined && length > expected.bytes) {
      return { kind: 'fail', reason: `the server has ${length} bytes, expected ${expected.bytes}` };
    }
    return { kind: 'restart', total: length ?? expected.bytes };
  }
  if (r.status === 416) {
    // Range not satisfiable: either the partial is already whole, or it is junk longer than the file.
    const unsatisfied = r.contentRange ? /^bytes \*\/(\d+)$/.exec(r.contentRange.trim()) : null;
    const total = unsatisfied ? Number(unsatisfied[1]) : expected.bytes;
    if (from > 0 && total !== undefined && total === from) return { kind: 'complete' };
    return { kind: 'retry', reason: 'the server refused the resume range', discard: true };
  }
  const reason = `HTTP ${r.status}${r.statusText ? ` ${r.statusText}` : ''}`;
  if (r.status === 408 || r.status === 429 || r.status >= 500) return { kind: 'retry', reason, discard: false };
  return { kind: 'fail', reason };
}

/** Why the finished file is not the expected one, or undefined when it is. */
export function checkFinished(actual: { bytes: number; sha256: string }, expected: Expected): string | undefined {
  if (expected.bytes !== undefined && actual.bytes !== expected.bytes) return `got ${actual.bytes} bytes, expected ${expected.bytes}`;
  if (expected.sha256 !== undefined && actual.sha256 !== expected.sha256.toLowerCase()) {
    return `sha256 ${actual.sha256} does not match the expected ${expected.sha256.toLowerCase()} (corrupted in transfer?)`;
  }
  return undefined;
}

/** A Hugging Face LFS file's sha256, from the X-Linked-Etag (or ETag) header when it is one. */
export function sha256FromEtag(etag: string | null): string | undefined {
  const v = etag?.replace(/^W\//, '').replace(/"/g, '').trim().toLowerCase();
  return v && /^[0-9a-f]{64}$/.test(v) ? v : undefined;
}

/** Headroom kept free on the disk beyond the files themselves. */
export const DISK_HEADROOM = 256 * 2 ** 20;

/** Why `needed` bytes should not be written to a disk with `free` bytes left, or undefined when they fit. */
export function diskRefusal(needed: number, free: number, where: string): string | undefined {
  if (needed + DISK_HEADROOM <= free) return undefined;
  return `not enough disk space: this needs about ${formatBytes(needed)} in ${where}, but only ${formatBytes(free)} is free; free some space or remove a model you no longer use`;
}
