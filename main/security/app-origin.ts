/**
 * The desktop app serves its renderer from its own origin, app://studio (main/windows/app-protocol.ts),
 * never from file://. Only frames of that origin (or the dev server's, in development) may call
 * main over IPC. Pure: Electron objects stay in the callers.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'studio';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** Whether an IPC call comes from our own top-level page (not an iframe, not another origin). */
export function isTrustedSender(frame: { url: string; isTopFrame: boolean } | null | undefined, devServerUrl?: string): boolean {
  if (!frame?.isTopFrame) return false;
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  if (url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST) return true;
  if (!devServerUrl) return false;
  try {
    return url.origin === new URL(devServerUrl).origin && /^https?:$/.test(url.protocol) && /^(localhost|127\.0\.0\.1)$/.test(url.hostname);
  } catch {
    return false;
  }
}

/** Navigation inside the window: only to our own pages. */
export function isAppUrl(raw: string, devServerUrl?: string): boolean {
  return isTrustedSender({ url: raw, isTopFrame: true }, devServerUrl);
}
