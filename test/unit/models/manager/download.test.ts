/**
 * Downloads of a real package file from a local HTTP server that misbehaves:
 * interrupted, truncated, throttled, stalled, corrupted transfers, a server that
 * ignores ranges, and plain HTTP errors.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DownloadError, downloadFile } from '../../../../models/manager/download';
import { hubFileUrl } from '../../../../models/manager/transfer-plan';
import { sha256File } from '../../../../models/registry/package-loader';
import { startFileServer, type FileServer } from './http-fixture';

const REAL = join(__dirname, '../../../../models/zoo/world-4m-small/tokenizers/rgb_encoder.onnx');
const REPO = 'test-owner/test-model';
const REL = `${REPO}/rgb_encoder.onnx`;
const root = mkdtempSync(join(tmpdir(), 'dl-root-'));
const out = mkdtempSync(join(tmpdir(), 'dl-out-'));
let server: FileServer;
let size: number;
let sha: string;

beforeAll(async () => {
  mkdirSync(join(root, REPO), { recursive: true });
  copyFileSync(REAL, join(root, REL));
  size = readFileSync(REAL).length;
  sha = await sha256File(REAL);
  server = await startFileServer(root);
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});
afterEach(() => {
  server.requests.length = 0;
  server.faults.clear();
  server.redirectWithSha.clear();
});

let n = 0;
const dest = (): string => join(out, `file${n++}.onnx`);
const url = (): string => hubFileUrl(server.base, REPO, 'rgb_encoder.onnx');
const fast = { backoffMs: 0, stallMs: 2000 };
const expectIntact = (file: string): void => {
  expect(readFileSync(file).equals(readFileSync(REAL))).toBe(true);
  expect(existsSync(`${file}.partial`)).toBe(false);
};

/** The resume offset of a range request: what arrived before the cut, which an abrupt end may make less than what was sent. */
const resumedFrom = (range: string | undefined, sent: number): number => {
  const m = /^bytes=(\d+)-$/.exec(range ?? '');
  expect(m, `range header ${range}`).not.toBeNull();
  const from = Number(m![1]);
  expect(from).toBeGreaterThan(0);
  expect(from).toBeLessThanOrEqual(sent);
  return from;
};

describe('downloadFile against a local server', () => {
  it('downloads, checks size and sha256, and renames the partial file into place', async () => {
    const d = dest();
    const progress: number[] = [];
    const r = await downloadFile({ url: url(), dest: d, expected: { bytes: size, sha256: sha }, ...fast, onProgress: (done) => progress.push(done) });
    expect(r).toMatchObject({ bytes: size, sha256: sha, verifiedAgainst: 'manifest', attempts: 1 });
    expectIntact(d);
    expect(progress.at(-1)).toBe(size);
    expect(server.requests).toEqual([{ url: `/${REPO}/resolve/main/rgb_encoder.onnx`, range: undefined }]);
  });

  it('resumes an interrupted transfer with a range request from where it stopped', async () => {
    server.faults.set(REL, [{ interruptAfter: 300_000 }]);
    const d = dest();
    const r = await downloadFile({ url: url(), dest: d, expected: { bytes: size, sha256: sha }, ...fast });
    expectIntact(d);
    expect(r?.attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
    resumedFrom(server.requests[1]?.range, 300_000);
  });

  it('resumes a partial file left by an earlier run', async () => {
    const d = dest();
    writeFileSync(`${d}.partial`, readFileSync(REAL).subarray(0, 1_000_000));
    await downloadFile({ url: url(), dest: d, expected: { bytes: size, sha256: sha }, ...fast });
    expectIntact(d);
    expect(server.requests.map((q) => q.range)).toEqual(['bytes=1000000-']);
  });

  it('resumes after a body that ends early, whether the connection drops or the length was short', async () => {
    server.faults.set(REL, [{ truncateAt: 123_457 }, { shortAt: 0 }]);
    const d = dest();
    await downloadFile({ url: url(), dest: d, expected: { bytes: size, sha256: sha }, ...fast });
    expectIntact(d);
    resumedFrom(server.requests[1]?.range, 123_457);
    const e = dest();
    server.requests.length = 0;
    server.faults.set(REL, [{ shortAt: 200_000 }]);
    await downloadFile({ url: url(), dest: e, expected: { bytes: size }, ...fast });
    expectIntact(e);
    expect(server.requests.map((q) => q.range)).toEqual([undefined, 'bytes=200000-']); // a clean short body arrives whole
  });

  it('starts over when the server ignores ranges (200 to a range request)', async () => {
    server.faults.set(REL, [{ truncateAt: 500_000 }, 'ignore-ranges']);
    const d = dest();
    await downloadFile({ url: url(), dest: d, expected: { bytes: size, sha256: sha }, ...fast });
    expectIntact(d);
    expect(server.requests).toHaveLength(2);
    resumedFrom(server.requests[1]?.range, 500_000);
  });

  it('survives a throttled transfer and reports progress along the way', async () => {
    server.faults.set(REL, [{ throttle: 256 * 1024, delayMs: 20 }]);
    const d = dest();
    const progress: number[] = [];
    await downloadFile({ url: url(), dest: d, expected: { bytes: size, sha256: sha }, ...fast, onProgress: (done) => progress.push(done) });
    expectIntact(d);
    expect(progress.length).toBeGreaterThan(5);
    expect(server.requests).toHaveLength(1);
  });

  it('cuts a stalled transfer and resumes it', async () => {
    server.faults.set(REL, [{ stallAfter: 400_000 }]);
    const d = dest();
    const r = await downloadFile({ url: url(), dest: d, expected: { bytes: size, sha256: sha }, backoffMs: 0, stallMs: 300 });
    expectIntact(d);
    expect(r?.attempts).toBe(2);
    resumedFrom(server.requests[1]?.range, 400_000);
  });

  it('discards a corrupted transfer (sha256 mismatch) and downloads the file again', async () => {
    server.faults.set(REL, [{ corruptAt: 77 }]);
    const d = dest();
    const r = await downloadFile({ url: url(), dest: d, expected: { bytes: size, sha256: sha }, ...fast });
    expectIntact(d);
    expect(r?.attempts).toBe(2);
    expect(server.requests.map((q) => q.range)).toEqual([undefined, undefined]);
  });

  it('gives up with a clear error when the bytes are corrupted every time, leaving nothing behind', async () => {
    server.faults.set(REL, Array.from({ length: 10 }, () => ({ corruptAt: 5 })));
    const d = dest();
    await expect(downloadFile({ url: url(), dest: d, expected: { bytes: size, sha256: sha }, ...fast })).rejects.toThrow(
      new RegExp(`${url().replace(/[.?]/g, '\\$&')}: gave up after 6 attempts: sha256 [0-9a-f]{64} does not match the expected ${sha} \\(corrupted in transfer\\?\\)`),
    );
    expect(existsSync(d)).toBe(false);
    expect(existsSync(`${d}.partial`)).toBe(false);
  });

  it('verifies against the sha256 the hub sends on its redirect when none is known', async () => {
    server.redirectWithSha.set(REL, sha);
    const d = dest();
    const r = await downloadFile({ url: url(), dest: d, ...fast });
    expect(r?.verifiedAgainst).toBe('server');
    expectIntact(d);
    expect(server.requests.map((q) => q.url)).toEqual([`/${REPO}/resolve/main/rgb_encoder.onnx`, `/cdn/${REPO}/resolve/main/rgb_encoder.onnx`]);
    server.redirectWithSha.set(REL, 'f'.repeat(64));
    await expect(downloadFile({ url: url(), dest: dest(), ...fast, retries: 1 })).rejects.toThrow(/does not match the expected f{64}/);
  });

  it('fails clearly on a missing file, a wrong size and repeated server errors; a missing optional file is fine', async () => {
    const missing = hubFileUrl(server.base, REPO, 'nope.bin');
    await expect(downloadFile({ url: missing, dest: dest(), ...fast })).rejects.toThrow(`${missing}: HTTP 404 Not Found`);
    expect(await downloadFile({ url: missing, dest: dest(), optional: true, ...fast })).toBeUndefined();
    await expect(downloadFile({ url: url(), dest: dest(), expected: { bytes: size - 1 }, ...fast })).rejects.toThrow(`the server has ${size} bytes, expected ${size - 1}`);
    server.faults.set(REL, [{ status: 403 }]);
    await expect(downloadFile({ url: url(), dest: dest(), ...fast })).rejects.toThrow(`${url()}: HTTP 403`);
    server.faults.set(REL, Array.from({ length: 3 }, () => ({ status: 503 })));
    await expect(downloadFile({ url: url(), dest: dest(), ...fast, retries: 2 })).rejects.toThrow(`${url()}: gave up after 3 attempts: HTTP 503`);
    await expect(downloadFile({ url: 'http://127.0.0.1:1/x', dest: dest(), ...fast, retries: 0 })).rejects.toThrow(/gave up after 1 attempts: transfer failed \(fetch failed/);
  });

  it('says what kind of failure each one is, so the app can phrase it (404, checksum, network, HTTP)', async () => {
    const kind = (p: Promise<unknown>): Promise<string> => p.then(() => 'none', (e: unknown) => (e instanceof DownloadError ? e.failure : 'other'));
    expect(await kind(downloadFile({ url: hubFileUrl(server.base, REPO, 'nope.bin'), dest: dest(), ...fast }))).toBe('not-found');
    server.faults.set(REL, Array.from({ length: 10 }, () => ({ corruptAt: 5 })));
    expect(await kind(downloadFile({ url: url(), dest: dest(), expected: { bytes: size, sha256: sha }, ...fast }))).toBe('checksum');
    server.faults.clear();
    expect(await kind(downloadFile({ url: 'http://127.0.0.1:1/x', dest: dest(), ...fast, retries: 0 }))).toBe('network');
    server.faults.set(REL, [{ status: 403 }]);
    expect(await kind(downloadFile({ url: url(), dest: dest(), ...fast }))).toBe('http');
  });

  it('stops when cancelled and keeps the partial file for next time', async () => {
    server.faults.set(REL, [{ throttle: 64 * 1024, delayMs: 30 }]);
    const d = dest();
    const ctl = new AbortController();
    const p = downloadFile({ url: url(), dest: d, expected: { bytes: size, sha256: sha }, ...fast, signal: ctl.signal, onProgress: (done) => done > 100_000 && ctl.abort() });
    await expect(p).rejects.toThrow(/cancelled \(the partial download is kept/);
    expect(existsSync(`${d}.partial`)).toBe(true);
    await downloadFile({ url: url(), dest: d, expected: { bytes: size, sha256: sha }, ...fast });
    expectIntact(d);
  });
});
