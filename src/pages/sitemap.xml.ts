import type { APIContext } from 'astro';
import { getCollection } from 'astro:content';
import { docsHref } from '../lib/docs/navigation.ts';
import { escapeHtml } from '../lib/html.ts';
import { siteOrigin } from '../lib/config/site-origin.ts';

/** Every public page, for search engines, at the site's public origin. */
export async function GET(context: APIContext): Promise<Response> {
  const origin = siteOrigin(context);
  const paths = ['/', ...(await getCollection('docs')).map((entry) => docsHref(entry.id)).sort()];
  const body = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ...paths.map((path) => `  <url><loc>${escapeHtml(origin + path)}</loc></url>`),
    '</urlset>',
  ].join('\n');
  return new Response(body, {
    headers: { 'content-type': 'application/xml; charset=utf-8', 'cache-control': 'public, max-age=3600' },
  });
}
