import { isSandboxPath } from './sandbox-path.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a state-changing request came from another site and must be refused (CSRF).
 * `Sec-Fetch-Site` decides when the browser sends it; otherwise `Origin` must be ours; a
 * request with neither is refused too, as no browser we support sends a form that way.
 * The sandbox API (`/v1/…`) is exempt: SDKs send no Origin, and a session cookie never
 * authenticates it, so a forged request there carries no one's authority.
 */
export function isCrossSiteWrite(request: Request, url: URL, allowedOrigins: readonly string[]): boolean {
  if (SAFE_METHODS.has(request.method)) return false;
  if (isSandboxPath(url.pathname)) return false;
  const fetchSite = request.headers.get('sec-fetch-site');
  if (fetchSite) return fetchSite !== 'same-origin' && fetchSite !== 'none';
  const origin = request.headers.get('origin');
  return !origin || !allowedOrigins.includes(origin);
}
