/**
 * The renderer's Content-Security-Policy, sent as a response header by both servers of the
 * built renderer: the desktop app's app:// protocol and the browser harness. As a header
 * (unlike the meta tag under file://, where 'self' means every local file) 'self' is exactly
 * the app's own origin.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
