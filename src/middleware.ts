import { defineMiddleware, sequence } from 'astro:middleware';
import { loadConfig } from './lib/config.ts';
import { clientAddress } from './lib/http/client-address.ts';
import { isCrossSiteWrite } from './lib/http/origin-check.ts';
import { PERSONAL_CACHE_HEADERS, securityHeaders } from './lib/http/security-headers.ts';
import { isSecureRequest, personalizePage } from './lib/reader/page-personalization.ts';
import { database } from './lib/db/index.ts';
import { objectIdValues } from './lib/reader/object-ids.ts';
import { compileTemplate, fillTemplate, needsObjectIds } from './lib/snippets/standins.ts';
import {
  TEMPLATE_HEADER,
  TEMPLATE_REQUEST_HEADER,
  TEMPLATE_SECRET_ENV,
} from './lib/snippets/template-header.ts';

const config = loadConfig();

/** Refuses form posts and other writes from other sites (see isCrossSiteWrite). */
const refuseCrossSiteWrites = defineMiddleware((context, next) => {
  const allowed = [context.url.origin, ...(config.publicOrigin ? [config.publicOrigin.origin] : [])];
  if (isCrossSiteWrite(context.request, context.url, allowed)) {
    return new Response('This form was sent from another site, so it was refused.', {
      status: 403,
      headers: {
        'content-type': 'text/plain; charset=utf-8',
        ...securityHeaders(config.publicOrigin?.protocol === 'https:'),
      },
    });
  }
  return next();
});

/**
 * Works out the reader for every request, then fills each page's stand-ins with the
 * reader's keys and account links. src/server/main.ts serves cacheable pages (those that
 * set TEMPLATE_HEADER) from its own cache and asks for them unfilled with the per-process
 * secret; `astro dev`, every cache miss and every other page come through here.
 */
const personalize = defineMiddleware(async (context, next) => {
  // The sandbox API has no reader: no cookies, no pages; it answers for itself.
  if (context.url.pathname === '/v1' || context.url.pathname.startsWith('/v1/')) return next();
  // A route prerendered at build time (the search index) is the same for every reader.
  if (context.isPrerendered) return next();
  const personal = await personalizePage(config, {
    url: context.url,
    cookieHeader: context.request.headers.get('cookie'),
    hostHeader: context.request.headers.get('host'),
    encrypted: context.url.protocol === 'https:',
  });
  context.locals.reader = personal.reader;
  context.locals.language = personal.language;
  context.locals.slots = personal.values;
  context.locals.secure = isSecureRequest(config, context.url.protocol === 'https:');
  context.locals.sampleCount = 0;
  // Astro's own clientAddress is the socket's peer here (astro.config sets no
  // security.allowedDomains, without which Astro ignores X-Forwarded-For); which forwarded
  // address counts is decided in one place, from TRUSTED_PROXIES.
  context.locals.clientAddress = clientAddress(
    context.clientAddress,
    context.request.headers.get('x-forwarded-for'),
    config.trustedProxies,
  );

  const rendered = await next();
  if (rendered.headers.has(TEMPLATE_HEADER) && isTemplateRequest(context.request)) return rendered;

  let response: Response;
  if (rendered.headers.get('content-type')?.startsWith('text/html')) {
    // Every page carries stand-ins (the header's account links at least); fill them.
    const template = compileTemplate(await rendered.text());
    const values = needsObjectIds(template)
      ? { ...personal.values, ...(await objectIdValues((await database()).db, personal.reader)) }
      : personal.values;
    const html = fillTemplate(template, values);
    response = new Response(html, rendered);
    response.headers.delete(TEMPLATE_HEADER);
  } else {
    // Copy, because some responses (redirects, rewrites) come with immutable headers.
    response = new Response(rendered.body, rendered);
  }
  // Every page names its reader (keys, account links), so none may sit in a shared cache.
  for (const [name, value] of Object.entries(PERSONAL_CACHE_HEADERS)) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  for (const [name, value] of Object.entries(securityHeaders(personal.secure))) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  const pageCookies = response.headers.getSetCookie();
  for (const cookie of personal.setCookies) {
    // A page that set its own session cookie (sign-in, sign-out) has the last word on it.
    const name = cookie.slice(0, cookie.indexOf('='));
    if (!pageCookies.some((own) => own.startsWith(`${name}=`))) response.headers.append('set-cookie', cookie);
  }
  return response;
});

function isTemplateRequest(request: Request): boolean {
  const secret = process.env[TEMPLATE_SECRET_ENV];
  return Boolean(secret) && request.headers.get(TEMPLATE_REQUEST_HEADER) === secret;
}

export const onRequest = sequence(refuseCrossSiteWrites, personalize);
