import type { APIContext } from 'astro';
import { loadConfig } from '../lib/config.ts';
import { apiOrigin } from '../lib/reader/reader.ts';

const config = loadConfig();

/** Crawlers may read the docs; accounts and page endpoints are not for them. */
export function GET(context: APIContext): Response {
  const origin = apiOrigin(
    config.publicOrigin,
    context.request.headers.get('host'),
    context.url.protocol === 'https:',
    'localhost:4321',
  ).origin;
  const body = [
    'User-agent: *',
    'Allow: /',
    'Disallow: /dashboard/',
    'Disallow: /api/',
    `Sitemap: ${origin}/sitemap.xml`,
    '',
  ].join('\n');
  return new Response(body, {
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'public, max-age=3600' },
  });
}
