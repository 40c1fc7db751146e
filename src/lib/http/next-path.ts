/**
 * Where to send a reader after signing in: the `next` they came with when it is a path on
 * this site, else `fallback`. Anything that could leave the site (`//evil.example`,
 * `https://…`, `/\evil`) is ignored.
 */
export function safeNextPath(next: string | null | undefined, fallback: string): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || /[\\\s]/.test(next)) return fallback;
  return next;
}
