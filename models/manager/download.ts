/**
 * Downloads one file into `<dest>.partial`, resuming with HTTP ranges after an
 * interruption (in this run or an earlier one), then checks size and sha256
 * and renames it into place atomically. Stalled transfers are cut and resumed.
 * Every failure ends as a DownloadError naming the URL and what went wrong;
 * the decisions themselves are in transfer-plan.ts.
 */
import { open, rename, rm, stat } from 'node:fs/promises';
import { sha256File } from '../registry/package-loader';
import { checkFinished, interpretResponse, planRequest, sha256FromEtag, type Expected } from './transfer-plan';

/** What kind of failure, for a UI to phrase (the message always names the URL and the cause). */
export type DownloadFailure = 'not-found' | 'checksum' | 'network' | 'cancelled' | 'disk-full' | 'http';

export class DownloadError extends Error {
  override name = 'DownloadError';
  constructor(message: string, readonly failure: DownloadFailure = 'http') {
    super(message);
  }
}

const cancelled = (url: string): DownloadError => new DownloadError(`${url}: cancelled (the partial download is kept and resumes next time)`, 'cancelled');

export type FetchLike = (url: string, init: { headers: Record<string, string>; redirect: 'manual'; signal: AbortSignal }) => Promise<Response>;

export interface DownloadOptions {
  readonly url: string;
  readonly dest: string;
  readonly expected?: Expected;
  readonly fetch?: FetchLike;
  /** Failed attempts tolerated before giving up (default 5). */
  readonly retries?: number;
  /** A transfer that delivers no byte for this long is cut and resumed (default 30 s). */
  readonly stallMs?: number;
  /** Pause before a retry, in ms (default 500 × attempt). */
  readonly backoffMs?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number | undefined) => void;
  /** A 404 resolves to undefined instead of failing (optional files). */
  readonly optional?: boolean;
}

export interface DownloadResult {
  readonly bytes: number;
  readonly sha256: string;
  /** Where the expected sha256 came from, if there was one to check against. */
  readonly verifiedAgainst: 'manifest' | 'server' | undefined;
  readonly attempts: number;
}

const MAX_REDIRECTS = 5;

export async function downloadFile(o: DownloadOptions): Promise<DownloadResult | undefined> {
  const partial = `${o.dest}.partial`;
  const doFetch: FetchLike = o.fetch ?? ((url, init) => fetch(url, init));
  const retries = o.retries ?? 5;
  const expected: { bytes?: number; sha256?: string } = { ...o.expected };
  let source: DownloadResult['verifiedAgainst'] = expected.sha256 ? 'manifest' : undefined;
  let lastProblem = '';
  let lastFailure: DownloadFailure = 'http';
  let corruptions = 0;
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    if (o.signal?.aborted) throw cancelled(o.url);
    if (attempt > 1) await sleep(o.backoffMs ?? 500 * (attempt - 1), o.signal);
    const have = await sizeOf(partial);
    const plan = planRequest(have, expected);
    if (plan.kind === 'discard') {
      await rm(partial, { force: true });
      continue;
    }
    if (plan.kind === 'fetch') {
      let outcome: Outcome;
      try {
        outcome = await transfer(o, doFetch, partial, plan.from, expected);
      } catch (error) {
        if (error instanceof DownloadError) throw error;
        if (o.signal?.aborted) throw cancelled(o.url);
        lastProblem = `transfer failed (${describe(error)})`;
        lastFailure = 'network';
        continue;
      }
      if (outcome.kind === 'missing') {
        if (o.optional) return undefined;
        throw new DownloadError(`${o.url}: HTTP 404 Not Found`, 'not-found');
      }
      if (outcome.sha256 && !expected.sha256) {
        expected.sha256 = outcome.sha256;
        source = 'server';
      }
      if (outcome.kind === 'retry') {
        if (o.signal?.aborted) throw cancelled(o.url);
        lastProblem = outcome.reason;
        lastFailure = outcome.failure ?? 'http';
        if (outcome.discard) await rm(partial, { force: true });
        continue;
      }
      if (outcome.total !== undefined && expected.bytes === undefined) expected.bytes = outcome.total;
      const now = await sizeOf(partial);
      if (expected.bytes !== undefined && now < expected.bytes) {
        lastProblem = `the connection ended after ${now} of ${expected.bytes} bytes`;
        lastFailure = 'network';
        continue;
      }
    }
    const actual = { bytes: await sizeOf(partial), sha256: await sha256File(partial) };
    const problem = checkFinished(actual, expected);
    if (problem) {
      // Bytes on disk are wrong: resuming would keep them, so start this file over once more.
      await rm(partial, { force: true });
      lastProblem = problem;
      lastFailure = 'checksum';
      if (++corruptions >= 2) break;
      continue;
    }
    await rename(partial, o.dest);
    return { ...actual, verifiedAgainst: source, attempts: attempt };
  }
  throw new DownloadError(`${o.url}: gave up after ${retries + 1} attempts: ${lastProblem}`, lastFailure);
}

type Outcome =
  | { kind: 'missing'; sha256?: string }
  | { kind: 'done'; total: number | undefined; sha256?: string }
  | { kind: 'retry'; reason: string; discard: boolean; sha256?: string; failure?: DownloadFailure };

/** One request (following redirects) and, if it carries data, its body into the partial file. */
async function transfer(o: DownloadOptions, doFetch: FetchLike, partial: string, from: number, expected: Expected): Promise<Outcome> {
  const ctl = new AbortController();
  const onAbort = (): void => ctl.abort();
  o.signal?.addEventListener('abort', onAbort);
  const stallMs = o.stallMs ?? 30_000;
  let stalled = false;
  let timer = setTimeout(() => ((stalled = true), ctl.abort()), stallMs);
  const alive = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => ((stalled = true), ctl.abort()), stallMs);
  };
  try {
    let url = o.url;
    let linkedSha: string | undefined;
    let res: Response | undefined;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const headers: Record<string, string> = { 'accept-encoding': 'identity' };
      if (from > 0) headers.range = `bytes=${from}-`;
      res = await doFetch(url, { headers, redirect: 'manual', signal: ctl.signal });
      // The hub's redirect carries the LFS object's sha256 and size.
      linkedSha ??= sha256FromEtag(res.headers.get('x-linked-etag'));
      if (res.status < 300 || res.status >= 400) break;
      const location = res.headers.get('location');
      await res.body?.cancel();
      if (!location) throw new DownloadError(`${url}: HTTP ${res.status} redirect without a Location`);
      url = new URL(location, url).toString();
      res = undefined;
    }
    if (!res) throw new DownloadError(`${o.url}: more than ${MAX_REDIRECTS} redirects`);
    if (res.status === 404) {
      await res.body?.cancel();
      return { kind: 'missing' };
    }
    const action = interpretResponse(
      { status: res.status, statusText: res.statusText, contentRange: res.headers.get('content-range'), contentLength: res.headers.get('content-length') },
      from,
      expected,
    );
    if (action.kind === 'fail') {
      await res.body?.cancel();
      throw new DownloadError(`${o.url}: ${action.reason}`, /does not match|expected \d+/.test(action.reason) ? 'checksum' : 'http');
    }
    if (action.kind === 'retry') {
      await res.body?.cancel();
      return { kind: 'retry', reason: action.reason, discard: action.discard, sha256: linkedSha };
    }
    if (action.kind === 'complete') {
      await res.body?.cancel();
      return { kind: 'done', total: from, sha256: linkedSha };
    }
    const fh = await open(partial, action.kind === 'append' ? 'a' : 'w');
    let done = action.kind === 'append' ? from : 0;
    try {
      if (!res.body) throw new Error('response without a body');
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        alive();
        await fh.write(chunk);
        done += chunk.length;
        o.onProgress?.(done, action.total);
      }
    } catch (error) {
      // A full disk does not get better by retrying: say so at once.
      if ((error as NodeJS.ErrnoException).code === 'ENOSPC') throw new DownloadError(`${o.url}: not enough disk space to write ${partial} (${done} bytes written; free some space and add it again to resume)`, 'disk-full');
      return { kind: 'retry', reason: stalled ? `no data for ${stallMs} ms (stalled)` : `transfer failed after ${done} bytes (${describe(error)})`, discard: false, sha256: linkedSha, failure: 'network' };
    } finally {
      await fh.close();
    }
    return { kind: 'done', total: action.total, sha256: linkedSha };
  } catch (error) {
    if (error instanceof DownloadError) throw error;
    if (stalled) return { kind: 'retry', reason: `no data for ${stallMs} ms (stalled)`, discard: false, failure: 'network' };
    throw error;
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
  }
}

async function sizeOf(file: string): Promise<number> {
  return stat(file).then((s) => s.size, () => 0);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((ok) => {
    if (ms <= 0 || signal?.aborted) return ok();
    const t = setTimeout(ok, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), ok()), { once: true });
  });
}
