import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KeywayConfig } from '../lib/config/config.ts';
import { PERSONAL_CACHE_HEADERS, securityHeaders } from '../lib/http/security-headers.ts';
import { isSecureRequest, personalizePage } from '../lib/page-template/personalize.ts';
import { fillForReader } from '../lib/page-template/fill.ts';
import { compileTemplate, encodeTemplate } from '../lib/page-template/standins.ts';
import {
  TEMPLATE_HEADER,
  TEMPLATE_REQUEST_HEADER,
  TEMPLATE_SECRET_ENV,
} from '../lib/page-template/template-header.ts';
import { clientAddress } from '../lib/http/client-address.ts';
import { refuseMethod, UNREPRESENTABLE_METHODS } from '../sandbox/refusals.ts';
import { serveSandbox } from '../sandbox/serve.ts';
import { acceptsGzip, compressDynamic } from './compression/dynamic.ts';
import { GzipVariants } from './compression/gzip-variants.ts';
import { StaticAssets } from './compression/static-assets.ts';
import { PageCache, type CachedPage } from './page-cache.ts';
import { canonicalPagePath } from './page-path.ts';
import { toWebRequest, validHost, writeWebResponse } from './web-bridge.ts';
import { isSandboxPath } from '../lib/http/sandbox-path.ts';
import { isLlmsFile, LLMS_LINK, serveLlmsFile, serveMarkdownPage, wantsMarkdown } from './markdown-routes.ts';
import { docsSearchFrom } from '../mcp/docs-index.ts';
import { CLI_PACKAGE_PATH, serveCliPackage } from './cli-package-route.ts';
import { MCP_PATH, serveMcp } from '../mcp/serve.ts';
import { isListenPath, serveListen } from './listen-routes.ts';

/** Paths whose pages may be templates: the landing page and the docs. */
const TEMPLATE_PATHS = /^\/(?:docs(?:\/.*)?)?$/;

/** The Host of every template request: templates must not depend on the reader's. */
const TEMPLATE_HOST = 'localhost';

/** Template response headers worth keeping with the cached page. */
const KEPT_HEADERS = ['content-type', 'content-security-policy'];

export interface PageServerOptions {
  config: KeywayConfig;
  /** Astro's standalone handler: static files and every route. */
  astroHandler: http.RequestListener;
  /** The built client folder (dist/client), whose compressible files are served from memory. */
  clientDir: string;
}

/**
 * The public HTTP server. The sandbox API (`/v1`) is answered directly by src/sandbox.
 * GET and HEAD for landing and docs pages are answered from the template cache, filled per
 * reader; a cache miss asks Astro for the template over a private loopback listener, with
 * the page's canonical path and language and nothing of the reader's. Compressible static files are
 * answered compressed from memory (StaticAssets). Everything else is Astro's, compressed
 * as it is written (compressDynamic), except event streams.
 */
export async function createPageServer({
  config,
  astroHandler,
  clientDir,
}: PageServerOptions): Promise<http.Server> {
  const secret = process.env[TEMPLATE_SECRET_ENV];
  if (!secret) throw new Error(`${TEMPLATE_SECRET_ENV} must be set before the page server starts.`);

  const internal = http.createServer(astroHandler);
  await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
  const internalPort = (internal.address() as AddressInfo).port;
  const cache = new PageCache(config.pageCache);
  const staticAssets = new StaticAssets(clientDir, config.staticCacheBytes);
  const compress = compressDynamic();
  const docsSearch = docsSearchFrom(clientDir);
  const astro = (req: http.IncomingMessage, res: http.ServerResponse) => {
    // Astro builds its URL from the Host header: one that makes no valid URL would fail the
    // request (a 500) or render another page, so it is replaced, as for the sandbox.
    if (validHost(req.headers.host) === null) req.headers.host = 'localhost';
    compress(req, res, () => astroHandler(req, res));
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://keyway.invalid');
    if (url.pathname === MCP_PATH) {
      // The MCP server, like the sandbox it calls, takes a Request and gives a Response.
      Promise.resolve()
        .then(() =>
          serveMcp(
            config,
            toWebRequest(req),
            clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], config.trustedProxies),
            docsSearch,
          ),
        )
        .then((response) => writeWebResponse(response, res))
        .catch((error: unknown) => failed(url, res, error));
      return;
    }
    if (isListenPath(url.pathname)) {
      // `keyway listen`'s stream and results: beside the sandbox, never compressed (a stream
      // must reach the CLI as it is written).
      serveListen(
        config,
        req,
        res,
        url,
        clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], config.trustedProxies),
      ).catch((error: unknown) => failed(url, res, error));
      return;
    }
    if (isSandboxPath(url.pathname)) {
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
      compress(req, res, () => {
        Promise.resolve()
          .then(() =>
            serveSandbox(
              config,
              toWebRequest(req),
              clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], config.trustedProxies),
            ),
          )
          .then((response) => {
            response.headers.set('x-content-type-options', 'nosniff');
            return writeWebResponse(response, res);
          })
          .catch((error: unknown) => failed(url, res, error));
      });
      return;
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (isLlmsFile(url.pathname)) {
        try {
          serveLlmsFile(config, req, res, url.pathname);
        } catch (error) {
          failed(url, res, error);
        }
        return;
      }
      if (url.pathname === CLI_PACKAGE_PATH) {
        try {
          serveCliPackage(config, req, res);
        } catch (error) {
          failed(url, res, error);
        }
        return;
      }
      const markdownPage = wantsMarkdown(canonicalPagePath(url.pathname), req);
      if (markdownPage) {
        serveMarkdownPage(config, req, res, url, markdownPage).catch((error: unknown) =>
          failed(url, res, error),
        );
        return;
      }
      if (TEMPLATE_PATHS.test(url.pathname)) {
        servePage(req, res, url).catch((error: unknown) => failed(url, res, error));
        return;
      }
      staticAssets
        .serve(req, res, url.pathname)
        .then((served) => served || astro(req, res))
        .catch((error: unknown) => failed(url, res, error));
      return;
    }
    astro(req, res);
  });
  server.on('close', () => internal.close());

  async function servePage(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const encrypted = 'encrypted' in req.socket && Boolean(req.socket.encrypted);
    const path = canonicalPagePath(url.pathname);
    // As sent: URL parsing has resolved `.` and `..` segments in url.pathname already.
    const requested = req.url?.startsWith('/') ? req.url.split('?')[0] : url.pathname;
    if (path !== requested) {
      // One cache entry per page: every other spelling of it is sent to the one spelling.
      res.writeHead(308, {
        location: `${path}${url.search}`,
        ...securityHeaders(isSecureRequest(config, encrypted)),
      });
      res.end();
      return;
    }
    const personal = await personalizePage(config, {
      url,
      cookieHeader: req.headers.cookie,
      hostHeader: req.headers.host,
      encrypted,
    });
    let uncached: CachedPage | null = null;
    const cached = await cache.get(path, personal.language, async () => {
      const upstream = await requestTemplate(path, personal.language, internalPort, secret!);
      // Only a template of this very path, rendered fine, may be kept for every reader.
      if (upstream.headers[TEMPLATE_HEADER] === undefined) {
        upstream.resume();
        return null;
      }
      const rendered = await toCachedPage(upstream);
      if (rendered.status === 200 && upstream.headers[TEMPLATE_HEADER] === path) return rendered;
      uncached = rendered;
      return null;
    });
    const page = cached ?? uncached;
    if (!page) {
      // Not a cacheable page (a 404, a redirect): Astro renders it for this reader, with
      // the reader's own request, compressed as it is written when that is worth it.
      return astro(req, res);
    }
    // Gzip costs less than the plain page here (see gzip-template.ts); brotli would cost a
    // compression per response, so a reader who takes only brotli gets the plain page, as
    // does one of a page that is not cached (compiling it would be wasted).
    const { chunks, length, gzipped } = await fillForReader(
      config,
      page.template,
      personal,
      cached && acceptsGzip(req) ? cached.gzip : null,
    );
    res.writeHead(page.status, {
      ...responseHeaders(page, path, personal.secure, gzipped),
      'content-length': length,
      ...(personal.setCookies.length > 0 ? { 'set-cookie': personal.setCookies } : {}),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    // The page's parts as they are, in one vectored write, rather than copied into one buffer.
    res.cork();
    for (const chunk of chunks) if (chunk.length > 0) res.write(chunk);
    res.end();
  }

  return server;
}

/**
 * Asks Astro (on the private listener) for the page at `path` in `language`, as a template.
 * The template is kept for every reader of that path and language, so the request carries
 * nothing else of the reader's: Astro builds its URL from the Host header, and a reader's
 * Host (`127.0.0.1/docs/keys?`) could otherwise make it render another page. A template
 * names no origin (the API base is a stand-in), so the fixed host does not show.
 */
function requestTemplate(
  path: string,
  language: string,
  port: number,
  secret: string,
): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'GET',
        path: `${path}?lang=${encodeURIComponent(language)}`,
        headers: { host: TEMPLATE_HOST, [TEMPLATE_REQUEST_HEADER]: secret },
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
  const template = encodeTemplate(compileTemplate(Buffer.concat(chunks).toString('utf8')));
  return { status: upstream.statusCode ?? 200, template, gzip: new GzipVariants(template), headers };
}

/** The headers of a page's responses that are the same for every reader, by how they are sent. */
const headersByPage = new WeakMap<CachedPage, Map<string, Record<string, string>>>();

/**
 * A page's response headers but its length and cookies: worked out once per cached page and
 * way of sending it, not merged anew for every request.
 */
function responseHeaders(
  page: CachedPage,
  path: string,
  secure: boolean,
  gzipped: boolean,
): Record<string, string> {
  let kept = headersByPage.get(page);
  if (!kept) headersByPage.set(page, (kept = new Map()));
  const key = `${secure} ${gzipped}`;
  let headers = kept.get(key);
  if (!headers) {
    // A docs page's URL also answers `Accept: text/markdown` (markdown-routes.ts).
    const docs = path.startsWith('/docs/');
    headers = {
      ...page.headers,
      ...securityHeaders(secure),
      ...PERSONAL_CACHE_HEADERS,
      vary: `${docs ? 'Accept, ' : ''}${PERSONAL_CACHE_HEADERS.vary}, Accept-Encoding`,
      ...(docs ? { link: LLMS_LINK } : {}),
      ...(gzipped ? { 'content-encoding': 'gzip' } : {}),
    };
    // Four ways at most (HTTPS or not, gzip or not); the entry goes with its page.
    kept.set(key, headers);
  }
  return headers;
}

function failed(url: URL, res: http.ServerResponse, error: unknown): void {
  console.error(`Could not serve ${url.pathname}:`, error);
  if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
  res.end('Internal server error');
}
