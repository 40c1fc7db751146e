import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KeywayConfig } from '../lib/config.ts';
import { PERSONAL_CACHE_HEADERS, securityHeaders } from '../lib/http/security-headers.ts';
import { personalizePage } from '../lib/reader/page-personalization.ts';
import { getDatabase } from '../lib/db/index.ts';
import { objectIdValues } from '../lib/reader/object-ids.ts';
import {
  compileTemplate,
  encodeTemplate,
  fillEncodedTemplate,
  needsObjectIds,
} from '../lib/snippets/standins.ts';
import {
  TEMPLATE_HEADER,
  TEMPLATE_REQUEST_HEADER,
  TEMPLATE_SECRET_ENV,
} from '../lib/snippets/template-header.ts';
import { refuseMethod, UNREPRESENTABLE_METHODS } from '../sandbox/refusals.ts';
import { serveSandbox } from '../sandbox/serve.ts';
import { PageCache, type CachedPage } from './page-cache.ts';
import { toWebRequest, writeWebResponse } from './web-bridge.ts';

/** Paths whose pages may be templates: the landing page and the docs. */
const TEMPLATE_PATHS = /^\/(?:docs(?:\/.*)?)?$/;

/** Template response headers worth keeping with the cached page. */
const KEPT_HEADERS = ['content-type', 'content-security-policy'];

export interface PageServerOptions {
  config: KeywayConfig;
  /** Astro's standalone handler: static files and every route. */
  astroHandler: http.RequestListener;
}

/**
 * The public HTTP server. The sandbox API (`/v1`) is answered directly by src/sandbox.
 * GET and HEAD for landing and docs pages are answered from the template cache, filled per
 * reader; a cache miss asks Astro for the template over a private loopback listener (so
 * the original request's headers reach Astro as they came). Everything else is Astro's.
 */
export async function createPageServer({ config, astroHandler }: PageServerOptions): Promise<http.Server> {
  const secret = process.env[TEMPLATE_SECRET_ENV];
  if (!secret) throw new Error(`${TEMPLATE_SECRET_ENV} must be set before the page server starts.`);

  const internal = http.createServer(astroHandler);
  await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
  const internalPort = (internal.address() as AddressInfo).port;
  const cache = new PageCache();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://keyway.invalid');
    if (url.pathname === '/v1' || url.pathname.startsWith('/v1/')) {
      // Methods a web Request cannot carry (TRACE, CONNECT) are no sandbox method either.
      if (UNREPRESENTABLE_METHODS.has(req.method ?? '')) {
        const refusal = refuseMethod(
          req.method!,
          config.publicOrigin?.origin ?? `http://${config.host}:${config.port}`,
        );
        res.writeHead(refusal.status, refusal.headers);
        res.end(refusal.body);
        return;
      }
      // The sandbox takes a Request and gives a Response; Astro has no part in it.
      Promise.resolve()
        .then(() => serveSandbox(config, toWebRequest(req)))
        .then((response) => {
          response.headers.set('x-content-type-options', 'nosniff');
          return writeWebResponse(response, res);
        })
        .catch((error: unknown) => {
          console.error(`Could not serve ${url.pathname}:`, error);
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('Internal server error');
        });
      return;
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && TEMPLATE_PATHS.test(url.pathname)) {
      servePage(req, res, url).catch((error: unknown) => {
        console.error(`Could not serve ${url.pathname}:`, error);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('Internal server error');
      });
      return;
    }
    astroHandler(req, res);
  });
  server.on('close', () => internal.close());

  async function servePage(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const encrypted = 'encrypted' in req.socket && Boolean(req.socket.encrypted);
    const personal = await personalizePage(config, {
      url,
      cookieHeader: req.headers.cookie,
      hostHeader: req.headers.host,
      encrypted,
    });
    let relayed: http.IncomingMessage | null = null;
    let uncached: CachedPage | null = null;
    const cached = await cache.get(url.pathname, personal.language, async () => {
      const upstream = await requestTemplate(req, internalPort, secret!);
      if (upstream.headers[TEMPLATE_HEADER] === undefined) {
        relayed = upstream;
        return null;
      }
      const rendered = await toCachedPage(upstream);
      if (rendered.status === 200) return rendered;
      uncached = rendered;
      return null;
    });
    const page = cached ?? uncached;
    if (!page) {
      // Not a cacheable page (a 404, a redirect): Astro's own response goes out as it is.
      if (relayed) return relay(relayed, res);
      return astroHandler(req, res);
    }
    const values = needsObjectIds(page.template)
      ? {
          ...personal.values,
          ...(await objectIdValues((await getDatabase(config.database)).db, personal.reader)),
        }
      : personal.values;
    const body = fillEncodedTemplate(page.template, values);
    res.writeHead(page.status, {
      ...page.headers,
      ...securityHeaders(personal.secure),
      ...PERSONAL_CACHE_HEADERS,
      'content-length': body.length,
      ...(personal.setCookies.length > 0 ? { 'set-cookie': personal.setCookies } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  return server;
}

/** Asks Astro (on the private listener) for the page behind `req`, as a template. */
function requestTemplate(
  req: http.IncomingMessage,
  port: number,
  secret: string,
): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'GET',
        path: req.url,
        headers: { ...req.headers, [TEMPLATE_REQUEST_HEADER]: secret },
      },
      resolve,
    );
    upstream.on('error', reject);
    upstream.end();
  });
}

async function toCachedPage(upstream: http.IncomingMessage): Promise<CachedPage> {
  const chunks: Buffer[] = [];
  for await (const chunk of upstream) chunks.push(chunk as Buffer);
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = upstream.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return {
    status: upstream.statusCode ?? 200,
    template: encodeTemplate(compileTemplate(Buffer.concat(chunks).toString('utf8'))),
    headers,
  };
}

function relay(upstream: http.IncomingMessage, res: http.ServerResponse): void {
  res.writeHead(upstream.statusCode ?? 502, upstream.headers);
  upstream.pipe(res);
}
