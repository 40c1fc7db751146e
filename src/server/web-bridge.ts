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
