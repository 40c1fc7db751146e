import type http from 'node:http';
import Negotiator from 'negotiator';
import type { KeywayConfig } from '../lib/config/config.ts';
import { apiOrigin } from '../lib/http/api-origin.ts';
import { PERSONAL_CACHE_HEADERS, securityHeaders } from '../lib/http/security-headers.ts';
import { llmsFull, llmsIndex } from '../lib/markdown/llms.ts';
import { markdownBundle, markdownForPage } from '../lib/markdown/page-markdown.ts';
import { fillForReader, pageBytes } from '../lib/page-template/fill.ts';
import { isSecureRequest, personalizePage } from '../lib/page-template/personalize.ts';
import { originFile } from '../lib/public-files/origin-file-cache.ts';
import { encrypted, sendPublicFile } from './public-file.ts';

const MARKDOWN_TYPE = 'text/markdown; charset=utf-8';

/** Every docs response says where the index for assistants is (the llms.txt convention). */
export const LLMS_LINK = '</llms.txt>; rel="llms-txt", </llms-full.txt>; rel="llms-full-txt"';

/** A docs page asks for Markdown: by its `.md` path, or by preferring `text/markdown` in Accept. */
export function wantsMarkdown(path: string, req: http.IncomingMessage): string | null {
  if (/^\/docs\/.+\.md$/.test(path)) return path.slice(0, -'.md'.length);
  if (!path.startsWith('/docs/') || !req.headers.accept) return null;
  // HTML first: a browser's `*/*` and equal q-values keep the page.
  return new Negotiator(req).mediaType(['text/html', 'text/markdown']) === 'text/markdown' ? path : null;
}

/**
 * A docs page as Markdown for this reader, filled as the HTML page is (their keys, or the
 * sample keys of a visitor, minted on first view as for the page), so it is as private:
 * `no-store`, varying on Cookie and on Accept (the page's own URL answers both ways).
 */
export async function serveMarkdownPage(
  config: KeywayConfig,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  page: string,
): Promise<void> {
  const personal = await personalizePage(config, {
    url,
    cookieHeader: req.headers.cookie,
    hostHeader: req.headers.host,
    encrypted: encrypted(req),
  });
  const body = await markdownForPage(page, personal.language, async (template) => {
    return pageBytes(await fillForReader(config, template, personal));
  });
  const headers = {
    ...securityHeaders(personal.secure),
    ...PERSONAL_CACHE_HEADERS,
    vary: `Accept, ${PERSONAL_CACHE_HEADERS.vary}`,
    link: LLMS_LINK,
  };
  if (body === null) {
    res.writeHead(404, { ...headers, 'content-type': MARKDOWN_TYPE });
    res.end(
      req.method === 'HEAD'
        ? undefined
        : `# Not found\n\nNo docs page is at ${page}. The index of pages is at /llms.txt.\n`,
    );
    return;
  }
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(200, {
    ...headers,
    'content-type': MARKDOWN_TYPE,
    'content-length': bytes.length,
    ...(personal.setCookies.length > 0 ? { 'set-cookie': personal.setCookies } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

const LLMS_FILES: Record<string, typeof llmsIndex> = { '/llms.txt': llmsIndex, '/llms-full.txt': llmsFull };

/** Whether the path is `/llms.txt` or `/llms-full.txt`. */
export function isLlmsFile(path: string): boolean {
  return Object.hasOwn(LLMS_FILES, path);
}

/** The file for one origin, built (and hashed for its ETag) once rather than per request. */
function llmsFileFor(path: string, origin: URL): { body: Buffer; etag: string } {
  return originFile(path, origin.origin, () =>
    Buffer.from(LLMS_FILES[path]!(markdownBundle(), origin), 'utf8'),
  );
}

/**
 * `/llms.txt` and `/llms-full.txt`: no keys in either, the same for every reader of an
 * origin, so shared caches may keep them, revalidating by ETag.
 */
export function serveLlmsFile(
  config: KeywayConfig,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
): void {
  const origin = apiOrigin(config.publicOrigin, req.headers.host, encrypted(req));
  const { body, etag } = llmsFileFor(path, origin);
  sendPublicFile(config, req, res, { body, etag, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
