import { defineMiddleware, sequence } from 'astro:middleware';
import { loadConfig } from './lib/config/config.ts';
import { clientAddress } from './lib/http/client-address.ts';
import { isCrossSiteWrite } from './lib/http/origin-check.ts';
import { PERSONAL_CACHE_HEADERS, securityHeaders } from './lib/http/security-headers.ts';
import { isSecureRequest, personalizePage } from './lib/page-template/personalize.ts';
import { fillForReader, pageBytes } from './lib/page-template/fill.ts';
import { setReaderLocals } from './lib/page-template/locals-guard.ts';
import { compileTemplate, encodeTemplate } from './lib/page-template/standins.ts';
import {
  TEMPLATE_HEADER,
  TEMPLATE_REQUEST_HEADER,
  TEMPLATE_SECRET_ENV,
} from './lib/page-template/template-header.ts';
import { isSandboxPath } from './lib/http/sandbox-path.ts';

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
 * Works out the reader for every request, then fills a template page's stand-ins with the
 * reader's keys and account links. src/server/main.ts serves template pages (those that
 * set TEMPLATE_HEADER) from its own cache and asks for them unfilled with the per-process
 * secret; `astro dev` and every other page come through here. Other pages render the
 * reader's values themselves and are not filled. ARCHITECTURE.md, "How a docs page is
 * served", follows one request through both.
 */
const personalize = defineMiddleware(async (context, next) => {
  // The sandbox API has no reader: no cookies, no pages; it answers for itself.
  if (isSandboxPath(context.url.pathname)) return next();
  // A route prerendered at build time (the search index) is the same for every reader.
  if (context.isPrerendered) return next();
  const personal = await personalizePage(config, {
    url: context.url,
    cookieHeader: context.request.headers.get('cookie'),
    hostHeader: context.request.headers.get('host'),
    encrypted: context.url.protocol === 'https:',
  });
  context.locals.language = personal.language;
  context.locals.sampleCount = 0;
  // What names this reader is guarded: a page that declared itself a template and then
  // reads it fails to render, instead of baking one reader's values into a shared page.
  setReaderLocals(context.locals, {
    reader: personal.reader,
    slots: personal.values,
    origin: personal.origin,
    secure: isSecureRequest(config, context.url.protocol === 'https:'),
    // Astro's own clientAddress is the socket's peer here (astro.config sets no
    // security.allowedDomains, without which Astro ignores X-Forwarded-For); which forwarded
    // address counts is decided in one place, from TRUSTED_PROXIES.
    clientAddress: clientAddress(
      context.clientAddress,
      context.request.headers.get('x-forwarded-for'),
      config.trustedProxies,
    ),
  });

  const rendered = await next();
  let response: Response;
  if (rendered.headers.has(TEMPLATE_HEADER)) {
    if (isTemplateRequest(context.request)) return rendered;
    // A template is made of our own content only, so every stand-in in it is one of ours.
    const template = encodeTemplate(compileTemplate(await rendered.text()));
    const body = pageBytes(await fillForReader(config, template, personal));
    response = new Response(new Uint8Array(body), rendered);
    response.headers.delete(TEMPLATE_HEADER);
  } else {
    // Any other page was rendered with the reader's values already (see pageSlots), and may
    // show user data, which must never be taken for a stand-in: it is left as it is. Copy,
    // because some responses (redirects, rewrites) come with immutable headers.
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
