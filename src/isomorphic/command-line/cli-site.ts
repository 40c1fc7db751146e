/**
 * The file an installed CLI package carries beside its script to name the site it was
 * downloaded from, so `keyway` calls that site without `--api-base`. The server writes it
 * into each tarball (src/lib/cli-package); the terminal CLI reads it (src/cli/site-default.ts).
 */
export const CLI_SITE_FILE = 'keyway-site.json';

/** What the site file holds. */
export interface CliSite {
  /** The origin the tarball was served from, e.g. `https://keyway.example`. */
  apiBase: string;
}

/**
 * The API base a site file names, or null when it names none worth calling: anything but
 * an http(s) origin (no path, no credentials) is ignored, so an edited or damaged file
 * cannot send a reader's key somewhere odd.
 */
export function apiBaseFromSiteFile(text: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const apiBase = (parsed as Partial<CliSite>).apiBase;
  if (typeof apiBase !== 'string') return null;
  let url: URL;
  try {
    url = new URL(apiBase);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password || url.origin !== apiBase) return null;
  return url.origin;
}
