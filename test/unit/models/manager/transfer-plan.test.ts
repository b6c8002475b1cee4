import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../../../preload/contract/models';
import { checkFinished, hubFileUrl, interpretResponse, planRequest, sha256FromEtag } from '../../../../models/manager/transfer-plan';
import { classifySource, packageFileUrl, sanitizeId } from '../../../../models/manager/sources';

const facts = (status: number, contentRange: string | null = null, contentLength: string | null = null) => ({ status, statusText: '', contentRange, contentLength });

describe('transfer plan (pure)', () => {
  it('builds Hugging Face resolve URLs with escaped segments', () => {
    expect(hubFileUrl('https://huggingface.co/', 'EPFL-VILAB/4M-21_B', 'model.safetensors')).toBe('https://huggingface.co/EPFL-VILAB/4M-21_B/resolve/main/model.safetensors');
    expect(hubFileUrl('http://h:1/mirror', 'a/b', 'dir/x y#.bin', 'v1.0')).toBe('http://h:1/mirror/a/b/resolve/v1.0/dir/x%20y%23.bin');
  });

  it('plans a request from the partial file size', () => {
    expect(planRequest(0, {})).toEqual({ kind: 'fetch', from: 0 });
    expect(planRequest(10, { bytes: 100 })).toEqual({ kind: 'fetch', from: 10 });
    expect(planRequest(100, { bytes: 100 })).toEqual({ kind: 'verify' });
    expect(planRequest(101, { bytes: 100 })).toEqual({ kind: 'discard' });
  });

  it('reads what a response means for the partial file', () => {
    expect(interpretResponse(facts(206, 'bytes 10-99/100', '90'), 10, { bytes: 100 })).toEqual({ kind: 'append', total: 100 });
    expect(interpretResponse(facts(206, 'bytes 0-99/100'), 10, {})).toMatchObject({ kind: 'retry', discard: true });
    expect(interpretResponse(facts(206, 'bytes 10-99/120'), 10, { bytes: 100 })).toEqual({ kind: 'fail', reason: 'the server has 120 bytes, expected 100' });
    expect(interpretResponse(facts(206, null), 10, {})).toMatchObject({ kind: 'retry', discard: true });
    expect(interpretResponse(facts(200, null, '100'), 10, { bytes: 100 })).toEqual({ kind: 'restart', total: 100 });
    expect(interpretResponse(facts(200, null, '50'), 0, { bytes: 100 })).toEqual({ kind: 'restart', total: 50 });
    expect(interpretResponse(facts(200, null, '150'), 0, { bytes: 100 })).toMatchObject({ kind: 'fail' });
    expect(interpretResponse(facts(416, 'bytes */100'), 100, {})).toEqual({ kind: 'complete' });
    expect(interpretResponse(facts(416, 'bytes */100'), 120, {})).toMatchObject({ kind: 'retry', discard: true });
    expect(interpretResponse(facts(503), 0, {})).toEqual({ kind: 'retry', reason: 'HTTP 503', discard: false });
    expect(interpretResponse(facts(429), 0, {})).toMatchObject({ kind: 'retry' });
    expect(interpretResponse({ ...facts(401), statusText: 'Unauthorized' }, 0, {})).toEqual({ kind: 'fail', reason: 'HTTP 401 Unauthorized' });
  });

  it('checks the finished file and reads hub etags', () => {
    const sha = 'a'.repeat(64);
    expect(checkFinished({ bytes: 5, sha256: sha }, { bytes: 5, sha256: sha.toUpperCase() })).toBeUndefined();
    expect(checkFinished({ bytes: 4, sha256: sha }, { bytes: 5 })).toBe('got 4 bytes, expected 5');
    expect(checkFinished({ bytes: 5, sha256: 'b'.repeat(64) }, { sha256: sha })).toMatch(/does not match the expected a{64}/);
    expect(sha256FromEtag(`"${sha}"`)).toBe(sha);
    expect(sha256FromEtag(`W/"${sha}"`)).toBe(sha);
    expect(sha256FromEtag('"abc-123"')).toBeUndefined();
    expect(sha256FromEtag(null)).toBeUndefined();
    expect([formatBytes(12), formatBytes(1536), formatBytes(57 * 2 ** 20), formatBytes(3.4 * 2 ** 30)]).toEqual(['12 B', '1.5 KiB', '57 MiB', '3.4 GiB']);
  });

  it('classifies what add was given', () => {
    expect(classifySource('/x', 'dir')).toEqual({ kind: 'local-folder', path: '/x' });
    expect(classifySource('/x.safetensors', 'file')).toEqual({ kind: 'local-file', path: '/x.safetensors' });
    expect(classifySource('https://h/a/model.safetensors', undefined)).toEqual({ kind: 'checkpoint-url', url: 'https://h/a/model.safetensors' });
    expect(classifySource('https://h/pkg/manifest.json', undefined)).toEqual({ kind: 'package-url', base: 'https://h/pkg' });
    expect(classifySource('https://h/pkg/', undefined)).toEqual({ kind: 'package-url', base: 'https://h/pkg' });
    expect(classifySource('4m-21_b', undefined)).toMatchObject({ kind: 'repo', repo: 'EPFL-VILAB/4M-21_B', entry: { id: '4M-21_B' } });
    expect(classifySource('hf:EPFL-VILAB/4M-21_L', undefined)).toMatchObject({ kind: 'repo', repo: 'EPFL-VILAB/4M-21_L', entry: { smaller: '4M-21_B' } });
    expect(classifySource('me/my-model', undefined)).toEqual({ kind: 'repo', repo: 'me/my-model', entry: undefined });
    expect(() => classifySource('../nothing/here/x', undefined)).toThrow(/is not a folder, a file, a URL/);
    expect(packageFileUrl({ kind: 'package-url', base: 'https://h/pkg' }, 'unused', 'fm/head a.onnx')).toBe('https://h/pkg/fm/head%20a.onnx');
    expect(sanitizeId('my weights (v2).safetensors')).toBe('my-weights-v2');
    expect(sanitizeId('...')).toBe('model');
  });
});
