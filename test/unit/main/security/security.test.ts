import { describe, expect, test } from 'vitest';
import { resolveAppAsset } from '../../../../main/security/app-assets';
import { APP_ENTRY, isTrustedSender } from '../../../../main/security/app-origin';
import { CONTENT_SECURITY_POLICY } from '../../../../main/security/csp';
import { isAllowedExternalLink } from '../../../../main/security/external-links';

describe('IPC sender validation', () => {
  test('only the app\'s own top-level page (or the dev server in development)', () => {
    expect(isTrustedSender({ url: APP_ENTRY, isTopFrame: true })).toBe(true);
    expect(isTrustedSender({ url: 'app://studio/index.html#x', isTopFrame: true })).toBe(true);
    for (const url of ['file:///home/ada/evil.html', 'https://evil.example/', 'app://other/index.html', 'http://localhost:5173/', 'not a url', '']) {
      expect(isTrustedSender({ url, isTopFrame: true }), url).toBe(false);
    }
    expect(isTrustedSender({ url: APP_ENTRY, isTopFrame: false })).toBe(false); // an iframe
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender({ url: 'http://localhost:5173/index.html', isTopFrame: true }, 'http://localhost:5173')).toBe(true);
    expect(isTrustedSender({ url: 'http://localhost:5174/', isTopFrame: true }, 'http://localhost:5173')).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', isTopFrame: true }, 'https://evil.example/')).toBe(false); // dev URLs are loopback only
  });
});

describe('external links', () => {
  test('https to the allow-listed hosts only', () => {
    expect(isAllowedExternalLink('https://4m.epfl.ch/')).toBe(true);
    expect(isAllowedExternalLink('https://github.com/apple/ml-4m')).toBe(true);
    for (const url of ['http://4m.epfl.ch/', 'https://evil.example/', 'https://4m.epfl.ch.evil.example/', 'https://user@github.com/', 'https://github.com:8443/', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'not a url']) {
      expect(isAllowedExternalLink(url), url).toBe(false);
    }
  });
});

describe('app:// assets', () => {
  const dir = '/opt/app/out/renderer';
  test('resolve inside the renderer folder with a content type', () => {
    expect(resolveAppAsset('app://studio/', dir)).toEqual({ ok: true, path: `${dir}/index.html`, type: 'text/html; charset=utf-8' });
    expect(resolveAppAsset('app://studio/assets/index-1.js', dir)).toMatchObject({ ok: true, path: `${dir}/assets/index-1.js`, type: 'text/javascript; charset=utf-8' });
  });
  test('refuse other hosts, escapes and malformed paths', () => {
    expect(resolveAppAsset('app://other/index.html', dir)).toEqual({ ok: false, status: 404 });
    // The URL parser already folds %2e%2e segments: the path stays inside the folder.
    expect(resolveAppAsset('app://studio/%2e%2e/%2e%2e/main/index.js', dir)).toMatchObject({ ok: true, path: `${dir}/main/index.js` });
    expect(resolveAppAsset('app://studio/..%2f..%2fsecret', dir)).toEqual({ ok: false, status: 403 });
    expect(resolveAppAsset('app://studio/%', dir)).toEqual({ ok: false, status: 400 });
    expect(resolveAppAsset('app://studio/a%00b', dir)).toEqual({ ok: false, status: 400 });
  });
  test('the CSP allows only the app\'s own origin', () => {
    expect(CONTENT_SECURITY_POLICY).toMatch(/default-src 'self'/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/object-src 'none'/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|unsafe-inline|\*/);
  });
});
