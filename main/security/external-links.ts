/**
 * Links the app may hand to the system browser: https only, and only these hosts (the project's
 * own pages). Anything else a page asks to open (a crafted file's caption, a compromised
 * renderer) is refused, because the system browser is outside the sandbox.
 */
export const EXTERNAL_LINK_HOSTS: readonly string[] = ['4m.epfl.ch', 'github.com'];

export function isAllowedExternalLink(raw: string, hosts: readonly string[] = EXTERNAL_LINK_HOSTS): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === 'https:' && url.username === '' && url.password === '' && url.port === '' && hosts.includes(url.hostname);
}
