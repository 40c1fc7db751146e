import type { APIContext } from 'astro';
import { privateJson as json } from '../../lib/http/private-json.ts';

/**
 * The key the docked shell sends, for pages rendered for one reader (sign-in, the 404, the
 * dashboard), which keep it out of their HTML: the same key the docs samples show this
 * reader (their own test key, or their visit's sample key). Private and never compressed; a
 * page on another site cannot read it (no CORS), and the session cookie is SameSite=Lax.
 */
export function GET(context: APIContext): Response {
  return json(200, { key: context.locals.reader.secretKey });
}
