/**
 * The sandbox's bridge between Node's HTTP server and web Request and Response.
 *
 * Kept instead of @remix-run/node-fetch-server (createRequest, sendResponse), for
 * correctness and cost. That library streams every answer without a Content-Length, so
 * compressDynamic compresses sandbox answers under 1 KB too, against its threshold
 * (tests/integration/compression.test.ts, tests/unit/web-bridge.test.ts and the raw HTTP/1.1
 * client of tests/sandbox/wire-format.test.ts fail on it).
 * `npm run bench:plumbing` (tests/bench/plumbing.mjs, 7 rounds of 3000 requests through
 * compressDynamic, on two cores shared with other work, December 2026): a POST shaped like
 * /v1/customers 489 req/s here against 425, server CPU per 1000 requests 440 against 770 ms;
 * a GET of a list of ten 496 against 427 req/s, 840 against 847 ms; resident memory after
 * start 102 against 104 MB. What the library has and this has not, an abort signal on the
 * Request when the client goes away, the sandbox does not use: its answers are quick.
 */
import type http from 'node:http';
import { Readable } from 'node:stream';

/** A Node request as a web `Request`; the body streams through unread. */
export function toWebRequest(req: http.IncomingMessage): Request {
  // A Host that does not make a valid URL (junk, a port past 65535) is replaced: the
  // sandbox does not need it (links in messages come from PUBLIC_ORIGIN or a checked Host).
  const host = validHost(req.headers.host) ?? 'localhost';
  const encrypted = 'encrypted' in req.socket && Boolean(req.socket.encrypted);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(`${encrypted ? 'https' : 'http'}://${host}${req.url ?? '/'}`, {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : null,
    // Node's fetch needs this to stream a request body.
    ...(hasBody ? { duplex: 'half' } : {}),
  } as RequestInit);
}

/** The Host header if it is a plain host that makes a valid URL, else null. */
export function validHost(host: string | undefined): string | null {
  if (!host || !/^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/.test(host)) return null;
  try {
    new URL(`http://${host}`);
    return host;
  } catch {
    return null;
  }
}

/**
 * Writes a web `Response` to a Node response, whole, with its Content-Length: compressDynamic
 * needs the length to leave answers under 1 KB uncompressed, and a sandbox answer is JSON
 * made at once, so there is nothing to stream.
 */
export async function writeWebResponse(response: Response, res: http.ServerResponse): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  // Headers yields each Set-Cookie on its own; the loop above would keep only the last.
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  headers['content-length'] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body);
}
