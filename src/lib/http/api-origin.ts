/** A Host header we are willing to print into samples: a name or address, and a port. */
const HOST_HEADER = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The host named when a request's Host header is missing or not a plain host: the default port. */
const FALLBACK_HOST = 'localhost:4321';

/**
 * The origin samples should call: the configured public origin, or else the origin the
 * reader used to reach us. A Host header that is not a plain host falls back to
 * `localhost:4321`. Pages, the sandbox and the site's own links (sitemap, robots.txt,
 * /openapi.json) all name their origin through this.
 */
export function apiOrigin(
  publicOrigin: URL | null,
  hostHeader: string | null | undefined,
  secure: boolean,
): URL {
  if (publicOrigin) return publicOrigin;
  const scheme = secure ? 'https' : 'http';
  if (hostHeader && HOST_HEADER.test(hostHeader)) {
    try {
      return new URL(`${scheme}://${hostHeader}`);
    } catch {
      // A well-formed but impossible host (a port past 65535): use the fallback.
    }
  }
  return new URL(`${scheme}://${FALLBACK_HOST}`);
}
