import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { resolveAppAsset } from '../security/app-assets';
import { APP_SCHEME } from '../security/app-origin';
import { CONTENT_SECURITY_POLICY } from '../security/csp';

/** Before the app is ready: app:// is a standard, secure origin (fetch, storage, no mixed content). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** After ready: app://studio/* is the built renderer folder, every response with the CSP header. */
export function serveAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const asset = resolveAppAsset(request.url, rendererDir);
    if (!asset.ok) return new Response(null, { status: asset.status });
    try {
      const body = await readFile(asset.path);
      return new Response(body, { headers: { 'content-type': asset.type, 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-content-type-options': 'nosniff' } });
    } catch {
      return new Response(null, { status: 404 });
    }
  });
}
