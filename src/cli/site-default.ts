import { readFileSync } from 'node:fs';
import { apiBaseFromSiteFile, CLI_SITE_FILE } from '../isomorphic/command-line/cli-site.ts';

/** A clone's CLI calls the server `npm start` runs. */
const CLONE_API_BASE = 'http://localhost:4321';

/**
 * The server `keyway` calls when neither --api-base nor KEYWAY_API_BASE says: the site an
 * installed package came from (its site file, beside the bundled script), else a clone's
 * local server.
 */
export function defaultApiBase(): string {
  let text: string;
  try {
    text = readFileSync(new URL(`./${CLI_SITE_FILE}`, import.meta.url), 'utf8');
  } catch {
    // No site file: this is a clone (`npx keyway`), not a downloaded package.
    return CLONE_API_BASE;
  }
  return apiBaseFromSiteFile(text) ?? CLONE_API_BASE;
}
