import type { APIContext } from 'astro';
import { loadConfig } from './config.ts';
import { apiOrigin } from '../http/api-origin.ts';

const config = loadConfig();

/**
 * This site's origin, for the absolute links a response carries (the sitemap, robots.txt,
 * the OpenAPI document's server): PUBLIC_ORIGIN when set, else the origin the request came
 * in on, with a Host that is not a plain host replaced (see `apiOrigin`).
 */
export function siteOrigin(context: Pick<APIContext, 'request' | 'url'>): string {
  return apiOrigin(
    config.publicOrigin,
    context.request.headers.get('host'),
    context.url.protocol === 'https:',
  ).origin;
}
