/**
 * Headers every response carries, whoever serves it (Astro or the cached-page path).
 * The content security policy comes from Astro (`security.csp`), which hashes the scripts
 * it emits; these cover what a policy in the page cannot.
 */
export function securityHeaders(secure: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'x-frame-options': 'DENY',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    'cross-origin-opener-policy': 'same-origin',
  };
  if (secure) headers['strict-transport-security'] = 'max-age=31536000; includeSubDomains';
  return headers;
}

/** Any response that shows a key: no shared cache may keep it, and it differs per cookie. */
export const PERSONAL_CACHE_HEADERS = {
  'cache-control': 'private, no-store',
  vary: 'Cookie',
} as const;
