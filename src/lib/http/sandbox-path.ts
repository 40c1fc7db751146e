/**
 * Whether a path is the sandbox API's (`/v1` and below). Those requests have no reader, no
 * cookies and no pages: the server hands them to the sandbox, the middleware lets them
 * through untouched, and the cross-site check exempts them (SDKs send no Origin).
 */
export function isSandboxPath(pathname: string): boolean {
  return pathname === '/v1' || pathname.startsWith('/v1/');
}
