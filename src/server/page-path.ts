/** Characters RFC 3986 calls unreserved: percent-encoding one of them changes nothing. */
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/**
 * The one spelling of a page's path that may key the page cache. URL parsing has already
 * resolved `.` and `..` segments; this also decodes percent-encoded unreserved characters
 * (`%66irst` is `first`), upper-cases the hex digits of the other escapes, joins repeated
 * slashes and drops a trailing slash. Any other spelling of a page is sent here, so a
 * reader cannot make a cache entry per spelling.
 */
export function canonicalPagePath(pathname: string): string {
  // Most requests spell the page the one way already: nothing to decode, join or drop, and
  // the URL parser has nothing left to change in a path it produced.
  if (
    !pathname.includes('%') &&
    !pathname.includes('//') &&
    (pathname.length === 1 || !pathname.endsWith('/'))
  )
    return pathname;
  let path = pathname;
  for (;;) {
    const next = new URL(
      path
        .replace(/%([0-9A-Fa-f]{2})/g, (escape, hex: string) => {
          const character = String.fromCharCode(parseInt(hex, 16));
          return UNRESERVED.test(character) ? character : escape.toUpperCase();
        })
        .replace(/\/{2,}/g, '/')
        .replace(/(.)\/$/, '$1'),
      'http://keyway.invalid',
    ).pathname;
    // Decoding can make a new `.` segment (`%2E%2E`), which the URL parser then resolves.
    if (next === path) return path;
    path = next;
  }
}
