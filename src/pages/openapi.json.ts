import { createHash } from 'node:crypto';
import type { APIContext } from 'astro';
import { loadConfig } from '../lib/config.ts';
import { apiOrigin } from '../lib/reader/reader.ts';
import { openApiDocument } from '../spec/openapi.ts';

const config = loadConfig();

/** Documents already rendered, by origin: one, unless the site answers to several hosts. */
const rendered = new Map<string, { body: string; etag: string }>();
const MAX_ORIGINS = 8;

function documentFor(origin: string): { body: string; etag: string } {
  let entry = rendered.get(origin);
  if (!entry) {
    const body = JSON.stringify(openApiDocument(origin), null, 2);
    entry = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    if (rendered.size >= MAX_ORIGINS) rendered.delete(rendered.keys().next().value!);
    rendered.set(origin, entry);
  }
  return entry;
}

/**
 * The OpenAPI 3.1 document of the sandbox API, generated from the API declaration. It is
 * the same for every reader (no keys, no account), so any cache may keep it; its server is
 * this site's public origin.
 */
export function GET(context: APIContext): Response {
  const origin = apiOrigin(
    config.publicOrigin,
    context.request.headers.get('host'),
    context.url.protocol === 'https:',
    'localhost:4321',
  ).origin;
  const { body, etag } = documentFor(origin);
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
