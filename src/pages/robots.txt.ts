import type { APIContext } from 'astro';
import { siteOrigin } from '../lib/config/site-origin.ts';

/** Crawlers may read the docs; accounts and page endpoints are not for them. */
export function GET(context: APIContext): Response {
  const origin = siteOrigin(context);
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
