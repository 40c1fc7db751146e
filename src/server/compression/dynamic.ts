import compression from 'compression';
import type http from 'node:http';
import Negotiator from 'negotiator';

/** Whether the reader accepts a gzip body (cached pages are only ever gzipped; see gzip-template.ts). */
export function acceptsGzip(req: http.IncomingMessage): boolean {
  return new Negotiator(req).encoding(['gzip']) === 'gzip';
}

/** Runs the rest of a request: a handler that writes the response. */
export type Continue = () => void;

/**
 * Answers that echo what the request asked for next to the reader's keys: compressing them
 * would let someone who can send a reader there and watch response sizes guess a key one
 * character at a time (BREACH). /api/samples renders the reader's key into samples of the
 * request's own parameters; /api/shell-key answers with nothing but the key.
 */
const NEVER_COMPRESSED = ['/api/samples', '/api/shell-key'];

/**
 * Compression as responses are written, for what is rendered per request (dashboard and
 * account pages, JSON from /api and the sandbox, the 404 page): brotli at quality 4 or
 * gzip at level 6, whichever the reader prefers, for bodies of 1 KB and more.
 * Server-Sent Events are never compressed: a compressor holds bytes back until it has
 * enough, and every event must reach the reader as it is sent.
 */
export function compressDynamic(): (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  next: Continue,
) => void {
  const middleware = compression({
    filter: (req, res) => {
      const type = String(res.getHeader('content-type') ?? '');
      const path = (req.url ?? '').split('?')[0]!;
      return (
        !type.startsWith('text/event-stream') &&
        !NEVER_COMPRESSED.includes(path) &&
        compression.filter(req, res)
      );
    },
  });
  return (req, res, next) => middleware(req as never, res as never, next);
}
