import type { APIContext } from 'astro';
import { servedDocument } from '../lib/openapi/served-document.ts';
import { siteOrigin } from '../lib/config/site-origin.ts';

/**
 * The OpenAPI 3.1 document of the sandbox API, generated from the API declaration. It is
 * the same for every reader (no keys, no account), so any cache may keep it; its server is
 * this site's public origin.
 */
export function GET(context: APIContext): Response {
  const origin = siteOrigin(context);
  const { body, etag } = servedDocument(origin);
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'public, max-age=3600',
    etag,
    'access-control-allow-origin': '*',
  };
  const known = context.request.headers.get('if-none-match');
  if (known && known.split(',').some((tag) => tag.trim() === etag))
    return new Response(null, { status: 304, headers });
  return new Response(body, { headers });
}
