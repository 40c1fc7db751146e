import { defineMiddleware } from 'astro:middleware';
import { loadConfig } from './lib/config.ts';
import { PERSONAL_CACHE_HEADERS, securityHeaders } from './lib/http/security-headers.ts';
import { personalizePage } from './lib/reader/page-personalization.ts';
import { compileTemplate, fillTemplate } from './lib/snippets/standins.ts';
import {
  TEMPLATE_HEADER,
  TEMPLATE_REQUEST_HEADER,
  TEMPLATE_SECRET_ENV,
} from './lib/snippets/template-header.ts';

const config = loadConfig();

/**
 * Works out the reader for every page, then fills template pages (those that set
 * TEMPLATE_HEADER) with the reader's keys. src/server/main.ts serves cached templates
 * itself and asks for them unfilled with the per-process secret; `astro dev` and every
 * cache miss come through here.
 */
export const onRequest = defineMiddleware(async (context, next) => {
  const personal = personalizePage(config, {
    url: context.url,
    cookieHeader: context.request.headers.get('cookie'),
    hostHeader: context.request.headers.get('host'),
    encrypted: context.url.protocol === 'https:',
  });
  context.locals.reader = personal.reader;
  context.locals.language = personal.language;
  context.locals.sampleCount = 0;

  const rendered = await next();
  const isTemplate = rendered.headers.has(TEMPLATE_HEADER);
  if (isTemplate && isTemplateRequest(context.request)) return rendered;

  let response: Response;
  if (isTemplate) {
    const html = fillTemplate(compileTemplate(await rendered.text()), personal.values);
    response = new Response(html, rendered);
    response.headers.delete(TEMPLATE_HEADER);
    for (const [name, value] of Object.entries(PERSONAL_CACHE_HEADERS)) response.headers.set(name, value);
  } else {
    // Copy, because some responses (redirects, rewrites) come with immutable headers.
    response = new Response(rendered.body, rendered);
  }
  for (const [name, value] of Object.entries(securityHeaders(personal.secure))) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  for (const cookie of personal.setCookies) response.headers.append('set-cookie', cookie);
  return response;
});

function isTemplateRequest(request: Request): boolean {
  const secret = process.env[TEMPLATE_SECRET_ENV];
  return Boolean(secret) && request.headers.get(TEMPLATE_REQUEST_HEADER) === secret;
}
