/**
 * Where to send a reader after signing in: the `next` they came with when it is a path on
 * this site, else `fallback`. Anything that could leave the site (`//evil.example`,
 * `https://…`, `/\evil`) is ignored. The path goes out in a `Location` header, which holds
 * only Latin-1 and where browsers expect ASCII, so every other character is percent-encoded
 * as UTF-8 (`/docs/café` becomes `/docs/caf%C3%A9`); text that is not valid UTF-16 (a lone
 * surrogate) cannot be encoded and is ignored too.
 */
export function safeNextPath(next: string | null | undefined, fallback: string): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || /[\\\s]/.test(next)) return fallback;
  if (!next.isWellFormed()) return fallback;
  return next.replace(/[^\x21-\x7e]+/g, (run) => encodeURIComponent(run));
}
